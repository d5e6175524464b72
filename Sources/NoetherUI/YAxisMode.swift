/// How a line chart chooses its y-range (`y` cycles the focused chart's).
public enum YAxisMode: String, CaseIterable, Sendable {
    /// The data's range, but never narrower than 1 % of the values' size: a quantity conserved to
    /// 0.1 % reads as a flat line, not as a steep fall across the whole plot.
    case honest
    /// From zero to the data: sizes compare at a glance.
    case fromZero
    /// Each curve as its change from the run's start, in percent.
    case relative
    /// The data's own range however small (every wiggle shows; the title says so).
    case zoom

    public var next: YAxisMode { Self.allCases[(Self.allCases.firstIndex(of: self)! + 1) % Self.allCases.count] }

    /// What the chart's title adds, so a reader knows which axis they see.
    public var titleSuffix: String {
        switch self {
        case .honest: ""
        case .fromZero: " [y from 0]"
        case .relative: " [% change from start]"
        case .zoom: " [full zoom]"
        }
    }

    /// The same for a narrow border.
    public var shortSuffix: String {
        switch self {
        case .honest: ""
        case .fromZero: " [from 0]"
        case .relative: " [% change]"
        case .zoom: " [zoomed]"
        }
    }

    /// The least a border can say, still in words.
    public var tinySuffix: String {
        switch self {
        case .honest: ""
        case .fromZero: " [from 0]"
        case .relative: " [% chg]"
        case .zoom: " [zoom]"
        }
    }

    /// The change-from-start mode's title where a curve starts at zero (no percentage exists):
    /// each curve's change in its own units.
    static let absoluteChange = (
        title: " [change from start; starts at 0, so not %]", short: " [change, not %]", tiny: " [Δ]"
    )

    /// The smallest span the honest range allows, relative to the size of the values.
    public static let floor = 0.01
}
