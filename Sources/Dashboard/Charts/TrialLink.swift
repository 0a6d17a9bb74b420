/// The dashboard's paths of pages, which chart marks link to.
enum TrialLink {
    static func path(study: Int, number: Int) -> String { "/studies/\(study)/trials/\(number)" }
}
