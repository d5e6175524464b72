/// Colour themes: how the colour roles of a frame map to terminal colours (and to a saved SVG).
/// `dark` keeps the terminal's own background with the Okabe–Ito palette; `light` paints a white
/// background with darker shades that hold on it; `high-contrast`, for projectors, paints black
/// with saturated colours and never dims (a projector washes dim text out).
public enum Theme: String, CaseIterable, Sendable {
    case dark, light, highContrast = "high-contrast"

    /// The xterm-256 colour of each role in this theme.
    public func terminal256(_ c: Color) -> Int16 {
        switch self {
        case .dark: c.terminal256
        case .light:
            switch c {
            case .normal: 16
            case .blue: 25
            case .orange: 130   // #AF5F00: the bright orange fades on white
            case .sky: 31
            case .vermillion: 160
            case .green: 29
            case .purple: 127
            case .yellow: 136
            case .gray: 242
            }
        case .highContrast:
            switch c {
            case .normal: 231
            case .blue: 75      // #5FAFFF
            case .orange: 214
            case .sky: 51
            case .vermillion: 203
            case .green: 48
            case .purple: 213
            case .yellow: 226
            case .gray: 252     // grey text stays readable on a projector
            }
        }
    }

    /// The background the theme paints, as an xterm-256 colour (-1: the terminal's own).
    public var terminalBackground: Int16 {
        switch self {
        case .dark: -1
        case .light: 231
        case .highContrast: 16
        }
    }

    /// Whether dimmed cells are drawn dim (high contrast draws them at full strength).
    public var dims: Bool { self != .highContrast }

    /// The next theme, for the key that cycles them.
    public var next: Theme { Theme.allCases[(Theme.allCases.firstIndex(of: self)! + 1) % Theme.allCases.count] }

    /// "#rrggbb" of an xterm-256 colour index (the 16 system colours as xterm draws them).
    public static func hex(_ index: Int16) -> String {
        let i = Int(index)
        let rgb: (Int, Int, Int)
        switch i {
        case 0..<16:
            let system = [(0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
                          (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
                          (255, 0, 255), (0, 255, 255), (255, 255, 255)]
            rgb = system[i]
        case 16..<232:
            let levels = [0, 95, 135, 175, 215, 255]
            let n = i - 16
            rgb = (levels[n / 36], levels[(n / 6) % 6], levels[n % 6])
        default:
            let g = 8 + 10 * (min(i, 255) - 232)
            rgb = (g, g, g)
        }
        func h(_ v: Int) -> String { let s = String(v, radix: 16); return s.count == 1 ? "0" + s : s }
        return "#" + h(rgb.0) + h(rgb.1) + h(rgb.2)
    }

    /// Foreground and background of a cell as "#rrggbb" (a dark theme's own background drawn black).
    public func hex(_ c: Color) -> String {
        if c == .normal, self == .dark { return "#d0d0d0" }
        return Self.hex(terminal256(c))
    }

    public var backgroundHex: String {
        terminalBackground < 0 ? "#121212" : Self.hex(terminalBackground)
    }
}
