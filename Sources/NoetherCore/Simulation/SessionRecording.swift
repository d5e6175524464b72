import Foundation

/// Recording a session from the explorer: the run restarts from step 0 with its configuration
/// as it is now, so the recording replays from the start (the story's step-0 entries included).
extension Session {
    public var isRecording: Bool { recorder != nil }

    /// Starts recording to `path`. `modified`: the user changed the settings the story was told
    /// for, so the recording keeps the settings, says so, and leaves the story out. `pace` is
    /// noted at step 0, so a replay runs at the same pace. Returns whether the run restarted.
    @discardableResult
    public func startRecording(to path: String, version: String, modified: Bool, pace: Int) throws -> Bool {
        let restarted = front.step > 0
        var p = state.preset
        p.config.live = front.live
        p.config.optimizer = front.config.optimizer
        if modified {
            p.schedule = []
            p.title = state.preset.title + " (modified)"
            p.description =
                "Recorded from \"\(state.preset.title)\" with changed settings: "
                + "lr \(Self.compact(front.live.learningRate)), momentum \(Self.compact(front.live.momentum)), "
                + "weight decay \(Self.compact(front.live.weightDecay)); "
                + "the story's captions are left out."
        }
        let recorder = try Recorder(path: path, preset: p, version: version)
        let sim = try Simulator(p.config)
        self.recorder = recorder
        record { try $0.record(ScheduledChange(step: 0, speed: pace)) }
        front = sim
        ghosts = []
        state = RunState(preset: p, pending: p.schedule, log: [], forks: [], run: state.run + 1)
        // Undo does not reach back before the recording's step 0.
        undoPoints = []
        _ = try applyDue()
        return restarted
    }

    /// Ends the recording at the current step (its `[[stop]]`) and closes the file.
    public func stopRecording() {
        let step = front.step
        record { try $0.stop(at: step) }
        recorder = nil
    }

    static func compact(_ x: Double) -> String { String(format: "%g", x) }
}
