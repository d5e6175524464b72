extension Simulator {
    /// A second simulator in the state a run reached: its configuration and the changes applied
    /// so far, replayed to `step`. Runs are deterministic, so the replica is the same state bit
    /// for bit; this is how a run forks (the ghost goes on from it).
    public static func replica(of config: Config, changes: [ScheduledChange], to step: Int) throws -> Simulator {
        let replica = try Simulator(config)
        var pending = changes[...]
        try replica.applyDue(&pending)
        while replica.step < step {
            try replica.advance()
            try replica.applyDue(&pending)
        }
        return replica
    }
}
