import NoetherCore

/// Stepping the session at the pace: the preset's steps per second, held back while a fresh
/// caption is being read, in slices short enough that commands apply within a frame.
extension SessionDriver {
    var stepping: Bool { snapshot.state == .running || pendingSteps > 0 }

    /// The step at which the next caption of the story waits, if any.
    var nextCaptionStep: Int? { session?.state.pending.first { $0.say != nil }?.step }

    /// Runs the session for one slice ending by `sliceEnd` (wall seconds, read from `clock`).
    /// Returns the number of updates made.
    @discardableResult
    public mutating func step(now: Double, sliceEnd: Double, clock: () -> Double) -> Int {
        self.now = now
        guard let s = session, stepping else { return 0 }
        var budget = Int.max
        if snapshot.speedLimit > 0, pendingSteps == 0 {
            let allowed = speedOrigin.step + Int((now - speedOrigin.time) * Double(snapshot.speedLimit))
            budget = max(0, allowed - s.step)
        }
        snapshot.readingHold = nil
        if pendingSteps > 0 {
            budget = pendingSteps
            pendingSteps = 0
        } else if let shown = captionShown, let next = nextCaptionStep,
            let limit = CaptionDwell.limit(
                shown: shown.time, dwell: shown.dwell, from: shown.step, next: next, now: now)
        {
            // A fresh caption is being read: the run slows, or holds before the next one.
            if limit - s.step < budget {
                budget = max(0, limit - s.step)
                snapshot.readingHold = shown.time + shown.dwell - now
                speedOrigin = (now, limit)  // the pace goes on from here, without a burst
            }
        }
        if snapshot.targetSteps > s.step { budget = min(budget, snapshot.targetSteps - s.step) }
        var done = 0
        let captions = captionsShown
        while done < budget, clock() < sliceEnd || done == 0 {
            guard advance(s) else { break }
            done += 1
            if s.step % stride == 0 { sample(s) }
            // A new caption starts its reading time: the budget is worked out again.
            if snapshot.state != .running || captionsShown != captions { break }
        }
        if done > 0 {
            dirty = true
            s.noteProgress()
        }
        if let failure = s.takeRecordingFailure() {
            snapshot.recordingPath = nil
            say(failure)
        }
        snapshot.step = s.step
        snapshot.live = s.front.live
        return done
    }

    mutating func sample(_ s: Session) {
        for (i, ghost) in s.ghosts.enumerated() {
            if let ghost { snapshot.observeGhost(i, ghost) }
        }
        snapshot.observe(s.front)
        if now - decisionAt >= 0.5 || snapshot.decision == nil {
            snapshot.decision = s.front.decisionMap()
            snapshot.gallery = s.front.imageGallery()
            decisionAt = now
        }
    }

    /// One update, its story entries shown; false when the run cannot go on (diverged, or the
    /// end of a replayed run that another follows).
    mutating func advance(_ s: Session) -> Bool {
        let result: Session.Advance
        do { result = try s.advance() } catch {
            snapshot.state = .diverged("at step \(s.step)")
            say("\(error)")
            sample(s)
            return false
        }
        for (i, _) in result.ghostsDiverged where snapshot.ghosts.indices.contains(i) {
            snapshot.ghosts[i].diverged = true
            say("\(snapshot.ghosts[i].name) diverged at step \(s.step)")
        }
        if result.forkedByStory { presentGhosts(s) }
        if result.storyForkSkipped {
            say(
                "the story forks at step \(s.step), but \(Session.maxGhosts) ghosts are open: g drops one; the story goes on without it"
            )
        }
        presentApplied(result.applied, s)
        if snapshot.targetSteps > 0, s.step >= snapshot.targetSteps {
            if snapshot.replaying, !laterRuns.isEmpty {
                runEnded = true  // the loop starts the next run once this one's slice is over
                return false
            }
            paused = true
            snapshot.state = .finished  // the header says "DONE space continues"
        }
        return true
    }

    /// Housekeeping after a slice: the next replayed run, the measured rate, expired messages.
    public mutating func tidy(now: Double) {
        self.now = now
        if runEnded {
            runEnded = false
            snapshot.replayRun += 1
            let next = laterRuns.removeFirst()
            open(next.preset, from: next.from)
            say(
                "the recording reset here: run \(snapshot.replayRun + 1) of \(snapshot.replayRuns)"
                    + (next.from > 0 ? ", resuming at step \(next.from)" : ""))
        }
        measureRate(now: now)
        if snapshot.message != nil, now > messageUntil {
            snapshot.message = nil
            dirty = true
        }
        if snapshot.readingHold != nil { dirty = true }  // the header counts the seconds down
    }

    /// The header's steps per second: steps over the time from one step to a later one, half a
    /// second or more apart. Counted over fixed half seconds instead, a run paced at 7/s read 6
    /// and 8 in turn (three or four steps fall in a window). No step for twice the last interval
    /// (a second at least: a pause, a caption's hold) clears it until steps come again.
    mutating func measureRate(now: Double) {
        let step = session?.step ?? 0
        if step != lastStepSeen.step {
            lastStepSeen = (now, step)
            if rateWindow == nil { rateWindow = lastStepSeen }
        }
        var rate = snapshot.stepsPerSecond
        if let window = rateWindow, lastStepSeen.time - window.time >= 0.5, lastStepSeen.step > window.step {
            rate = Double(lastStepSeen.step - window.step) / (lastStepSeen.time - window.time)
            rateWindow = lastStepSeen
        } else if now - lastStepSeen.time > max(1, rate > 0 ? 2 / rate : 0) {
            rate = 0
            rateWindow = nil
        }
        if rate != snapshot.stepsPerSecond { dirty = true }
        snapshot.stepsPerSecond = rate
    }

    /// The rate is measured afresh from `step`, reached at `now` (a new run, a jump back).
    mutating func restartRate(now: Double, step: Int) {
        lastStepSeen = (now, step)
        rateWindow = lastStepSeen
        snapshot.stepsPerSecond = 0
    }

    /// The snapshot to publish, when something changed (the caller limits how often). `now`:
    /// the time it goes to the screen, from which a new caption's reading time counts.
    public mutating func publish(now: Double? = nil) -> Snapshot? {
        guard dirty else { return nil }
        if let now, !captionPublished, let shown = captionShown {
            captionShown = (shown.step, max(shown.time, now), shown.dwell)
            captionPublished = true
        }
        // The latest numbers, without a sample off the stride (the charts stay reproducible).
        if let s = session, s.step != snapshot.history.lastStep { snapshot.observe(s.front, record: false) }
        snapshot.version += 1
        dirty = false
        return snapshot
    }

    /// Ends the session: a recording open is closed at the current step.
    public mutating func finish() {
        if session?.isRecording == true { stopRecording("recording saved") }
    }
}
