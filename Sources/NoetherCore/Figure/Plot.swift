/// A figure of lines over a numeric x axis, independent of where its numbers come from: a
/// sweep's means with error bars (SweepPlot.swift), a sweep's time series with bands
/// (CurvePlot.swift), or one run's charges. PlotSVG.swift draws it; every `sweep show` and
/// `run --svg` figure with lines goes through this one type.
public struct Plot: Sendable {
    public var title: String
    /// Under the title: what was chosen for the reader (the family, what is averaged).
    public var subtitle: String?
    /// Under the plot: what an error bar is, how many runs each point averages.
    public var caption: String
    public var xLabel: String
    public var yLabel: String
    public var logX = false
    public var logY = false
    /// Where the x ticks go, when not at round values (a log axis of a few measured values).
    public var xTicks: [Double]?
    public var lines: [Line] = []

    public init(title: String, subtitle: String? = nil, caption: String, xLabel: String, yLabel: String) {
        self.title = title
        self.subtitle = subtitle
        self.caption = caption
        self.xLabel = xLabel
        self.yLabel = yLabel
    }

    /// Dash patterns that tell several theory curves apart without colour.
    public static let dashes = ["6 4", "2 3", "10 3 2 3"]

    /// Dash patterns of measured series, one per series (the first solid), beside the marker
    /// shape: lines of several colours stay apart in a greyscale print. Drawn thicker than the
    /// theory's, and with markers, which theory lines never have.
    public static let seriesDashes = ["", "9 3", "2.5 2", "9 3 2 3", "5 2 5 6"]

    /// How far (px) the markers of runs at one x are spread along x in a scatter plot, evenly and
    /// without randomness, so that runs with equal values do not hide one another.
    public static let scatterSpread = 6.0

    public enum Style: Sendable, Equatable {
        /// Measured means: markers at the points, joined by a solid line, with error bars.
        case measured
        /// Measured individual runs: markers only.
        case scatter
        /// A measured mean along a dense axis (a time series): a solid line over a shaded band.
        case band
        /// What the theory predicts: a dashed line, no markers.
        case theory
    }

    public struct Point: Sendable, Equatable {
        public var x: Double
        public var y: Double
        /// The bar or band around y, when there is one.
        public var low: Double?
        public var high: Double?
        /// Runs behind the point.
        public var n: Int?
        /// Hover text of the marker.
        public var note: String?

        public init(x: Double, y: Double, low: Double? = nil, high: Double? = nil, n: Int? = nil, note: String? = nil) {
            (self.x, self.y, self.low, self.high, self.n, self.note) = (x, y, low, high, n, note)
        }
    }

    public struct Line: Sendable {
        public var label: String
        public var style: Style
        public var points: [Point]
        /// Index into the palette: a measured line and its theory share a colour.
        public var colour: Int
        /// The dash pattern of a theory line (one per kind of prediction).
        public var dash = Plot.dashes[0]
        /// False for lines the legend names once for all (theory lines of several colours).
        public var inLegend = true

        public init(label: String, style: Style, points: [Point], colour: Int) {
            (self.label, self.style, self.points, self.colour) = (label, style, points, colour)
        }
    }
}
