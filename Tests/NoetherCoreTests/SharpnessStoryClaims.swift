import Testing
@testable import NoetherCore

/// The claims of the sharpness presets' captions (THEORY.md §16), read from the same run the
/// explorer shows: the sharpness rows where measured, the loss at every step.
enum SharpnessStoryClaims {
    /// (step, sharpness) where measured in `range`.
    static func measured(_ run: StoryRun, _ range: ClosedRange<Int>) -> [(step: Int, value: Double)] {
        range.compactMap { k in run.steps[k].sharpness.map { (k, $0.top) } }
    }

    /// Sharpness over the line c/η with each step's own η, where measured in `range`.
    static func ratios(_ run: StoryRun, _ range: ClosedRange<Int>, numerator c: Double) -> [(step: Int, value: Double)] {
        measured(run, range).map { ($0.step, $0.value * run.steps[$0.step].live.learningRate / c) }
    }

    static func rises(_ run: StoryRun, _ range: ClosedRange<Int>) -> Int {
        range.dropFirst().filter { run.steps[$0].loss > run.steps[$0 - 1].loss }.count
    }

    static let edge: [Int: CaptionClaim] = [
        0: { run, _ in
            let s0 = run.steps[0].sharpness!.top
            #expect(String(format: "%.2f", s0) == "3.59" && String(format: "%.2f", s0 * 0.5 / 2) == "0.90", "\(s0)")
        },
        700: { run, range in
            let r = ratios(run, range, numerator: 2)
            #expect(range.count >= 1000 && r.count >= 20)
            #expect(r.allSatisfy { within($0.value, 0.985...1.08) }, "\(r.map(\.value).min()!) … \(r.map(\.value).max()!)")
            let up = rises(run, range)
            #expect(within(Double(up) / Double(range.count), 0.4...0.6), "loss rises at \(up) of \(range.count) steps")
            #expect(run.steps[range.upperBound].loss < run.steps[range.lowerBound].loss, "the loss falls overall")
        },
        1800: { run, range in
            #expect(run.steps[1800].live.learningRate == 0.25)
            #expect(String(format: "%.2f", run.steps[1800].sharpness!.top) == "4.17")
            #expect(rises(run, (range.lowerBound + 50)...range.upperBound) == 0, "falls smoothly")
        },
        4000: { run, range in
            let m = measured(run, range)
            #expect(zip(m, m.dropFirst()).allSatisfy { $1.value > $0.value }, "climbs at every measurement")
            let first = ratios(run, 1800...run.last, numerator: 2).first { $0.value >= 0.95 }?.step ?? -1
            #expect(within(Double(first), 6800...7000), "0.95 of the line first at \(first)")
        },
        7000: { run, range in
            let r = ratios(run, range, numerator: 2)
            #expect(r.allSatisfy { within($0.value, 0.9...1.1) }, "\(r.map(\.value).min()!) … \(r.map(\.value).max()!)")
            #expect(String(format: "%.2f", run.steps[run.last].sharpness!.top) == "8.11")
            #expect(run.steps[range.upperBound].loss < run.steps[range.lowerBound].loss)
        },
    ]

    static let heavyBall: [Int: CaptionClaim] = [
        0: { run, _ in
            #expect(run.steps[0].live.momentum == 0.9 && run.steps[0].live.learningRate == 0.6)
            #expect(String(format: "%.2f", run.steps[0].sharpness!.top) == "3.59")
            #expect(ratios(run, 0...0, numerator: 2)[0].value > 1, "starts above 2/η")
            #expect(ratios(run, 0...0, numerator: 3.8)[0].value < 0.6, "and well below 2(1+β)/η")
        },
        400: { run, range in
            let r = ratios(run, range, numerator: 2 * 1.9)
            #expect(range.count >= 1000)
            #expect(r.allSatisfy { within($0.value, 0.905...0.965) }, "\(r.map(\.value).min()!) … \(r.map(\.value).max()!)")
            #expect(ratios(run, range, numerator: 2).allSatisfy { $0.value > 1.7 }, "far above 2/η")
        },
    ]

    /// ‖D‖_F of the linear network's balance matrix.
    static func balance(_ o: Observation) -> Double { o.families.first { $0.family == "fc1-fc2.balance" }!.mean }

    static let balanceAtLargeSteps: [Int: CaptionClaim] = [
        0: { run, _ in
            #expect(run.steps[0].live.learningRate == 0.3)
            #expect(String(format: "%.1f", run.steps[0].sharpness!.top) == "15.2")
            #expect(String(format: "%.1f", balance(run.steps[0])) == "17.4")
        },
        200: { run, range in
            let ghost = try! StoryRun(run.withoutSchedule)
            #expect(ghost.steps[0].live.learningRate == 0.05)
            for k in [range.lowerBound, run.last] {
                #expect(String(format: "%.1f", balance(run.steps[k])) == "2.0", "front ‖D‖ at \(k)")
                #expect(String(format: "%.1f", balance(ghost.steps[k])) == "17.1", "ghost ‖D‖ at \(k)")
            }
            // Both converge: the front to a flat minimum below its line, the ghost to a sharp one.
            #expect(run.steps[run.last].loss < 0.0096 && ghost.steps[run.last].loss < 0.013)
            #expect(String(format: "%.1f", run.steps[run.last].sharpness!.top) == "2.6")
            #expect(ghost.steps[run.last].sharpness!.top > 14)
        },
    ]
}

/// The sharpness presets' captions on the simulator, run as PresetStoryTests runs the others.
@Suite("Sharpness preset stories")
struct SharpnessPresetStoryTests {
    @Test(arguments: ["edge-of-stability", "heavy-ball-edge", "balance-large-step"])
    func captionsAreTrue(_ name: String) throws {
        let preset = try #require(try PresetStoryTests.stories().first { $0.name == name })
        let claims = try #require(StoryClaims.all[name])
        let run = try StoryRun(preset)
        let captions = preset.schedule.filter { $0.say != nil }
        for (i, caption) in captions.enumerated() {
            let end = i + 1 < captions.count ? captions[i + 1].step - 1 : preset.config.steps
            let claim = try #require(claims[caption.step], "\(name): no claim for the caption at \(caption.step)")
            claim(run, caption.step...end)
        }
    }
}
