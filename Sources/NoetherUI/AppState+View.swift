import NoetherCore

/// View state that is not a control: help pages and narration requests.
extension AppState {
    /// Pages of the help overlay: the keys (with the panels), then the glossary.
    public static let helpPages = ["keys", "glossary"]

    /// Keys inside the help overlay: ↑↓ scroll, tab/←→ turn the page. Returns false for keys
    /// the keymap handles (close, quit).
    mutating func handleHelp(_ key: Key) -> Bool {
        switch key {
        case .up: helpScroll = max(0, helpScroll - 1)
        case .down: helpScroll += 1  // the screen clamps to the page length
        case .tab, .right, .char(" "):
            helpPage = (helpPage + 1) % Self.helpPages.count
            helpScroll = 0
        case .left:
            helpPage = (helpPage + Self.helpPages.count - 1) % Self.helpPages.count
            helpScroll = 0
        default: return false
        }
        return true
    }

    /// Applies a narration request once: focus a panel, show a family. The user may move away after.
    public mutating func follow(_ n: NarrationRequest, _ s: Snapshot) {
        guard n.serial != narrationSerial else { return }
        narrationSerial = n.serial
        if let id = n.focus, ChartRegistry.chart(id) != nil { focus = id }
        if let family = n.family, let i = s.families.firstIndex(where: { $0.family == family }) { familyIndex = i }
    }
}
