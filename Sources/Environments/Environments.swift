// The Environments module is filled by a later issue (see DESIGN.md).
