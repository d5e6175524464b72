import Foundation

/// `sweep show --curves --script FILE.py`: the curves figure as a short Python script (pandas +
/// matplotlib) that reads the series with the same SQL, averages over seeds the same way, prints
/// the points as CSV (by, x, mean, error, n and each theory curve: the rows `--curves --table`
/// prints) and draws the same figure: a band and a thick line with markers per series, each with
/// its own colour, dash pattern and marker, the theory's curves thin and dashed.
extension CurvePlot {
    public static func script(_ plot: Plot, _ selection: Selection, database: String, error: ErrorKind) -> String {
        let py = PythonScript.string
        func list(_ items: [String]) -> String { "[" + items.joined(separator: ", ") + "]" }
        let stem = URL(fileURLWithPath: database).deletingPathExtension().lastPathComponent
        let title = plot.title
        return """
            #!/usr/bin/env python3
            # \(title), from \(database).
            # Written by `noether sweep show --curves --script`: edit freely. It reads the series with the
            # query sweep show uses, averages each step over the seeds, prints the points as CSV and draws
            # the figure into the file named on the command line (default \(stem)-\(selection.value)-curves.pdf).
            import sqlite3
            import sys

            import matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
            import numpy as np
            import pandas as pd

            DATABASE = \(py(database))
            FAMILY = \(py(selection.family))
            ERROR = \(py(error.rawValue))  # std, sem or ci95
            X = \(py(selection.x == "time" ? "t" : "step"))  # t = ηk, or the step k
            BY_LABEL = \(selection.by.map { py(Vocabulary.label($0)) } ?? "None")
            THEORY = \(list(selection.theory.map(py)))
            THEORY_LABELS = \(list(selection.theory.map { py(Vocabulary.label($0)) }))
            QUERY = \"\"\"
            \(selection.sql)
            \"\"\"
            \(PythonScript.lookAndQuantiles)
            # A dash pattern per theory curve.
            THEORY_DASHES = [(0, (6, 4)), (0, (2, 3)), (0, (10, 3, 2, 3))]

            rows = pd.read_sql_query(QUERY, sqlite3.connect(DATABASE), params=(FAMILY,)).replace([np.inf, -np.inf], np.nan)
            rows["x"] = rows["t"].fillna(rows["step"]) if X == "t" else rows["step"]
            points = rows.groupby(["by", "step"], dropna=False).agg(
                x=("x", "first"), mean=("value", "mean"), std=("value", "std"), n=("value", "count"),
                **{c: (c, "mean") for c in THEORY}).reset_index()
            points = points[points["n"] > 0]
            t = points["n"].map(lambda n: T975[n - 2] if 2 <= n <= len(T975) + 1 else 1.96)
            points["error"] = {"std": points["std"], "sem": points["std"] / np.sqrt(points["n"]),
                               "ci95": t * points["std"] / np.sqrt(points["n"])}[ERROR]
            print(points[["by", "x", "mean", "error", "n"] + THEORY].to_csv(index=False), end="")

            fig, ax = plt.subplots(figsize=(7.5, 4.8))
            series = list(points.groupby("by", dropna=False))
            for k, (by, line) in enumerate(series):
                color = PALETTE[k % len(PALETTE)]
                label = "measured" if BY_LABEL is None else f"{BY_LABEL} = {by:g}"
                ax.fill_between(line["x"], line["mean"] - line["error"], line["mean"] + line["error"], color=color,
                                alpha=0.2, linewidth=0)
                ax.plot(line["x"], line["mean"], color=color, linewidth=2, linestyle=DASHES[k % len(DASHES)],
                        marker=MARKERS[k % len(MARKERS)], markevery=max(1, len(line) // 8), label=label)
                for d, c in enumerate(THEORY):
                    ax.plot(line["x"], line[c], color=color, linewidth=1.1, linestyle=THEORY_DASHES[d % 3],
                            label=THEORY_LABELS[d] if len(series) == 1 else None)
            if len(series) > 1:  # the legend names each theory curve once, by its dash, in black
                for d, c in enumerate(THEORY):
                    ax.plot([], [], color="black", linewidth=1.1, linestyle=THEORY_DASHES[d % 3], label=THEORY_LABELS[d])
            \(plot.logX ? "ax.set_xscale(\"log\")\n" : "")\(plot.logY ? "ax.set_yscale(\"log\")\n" : "")ax.set_xlabel(\(py(plot.xLabel + (plot.logX ? "  (log scale)" : ""))))
            ax.set_ylabel(\(py(plot.yLabel + (plot.logY ? "  (log scale)" : ""))))
            ax.legend(fontsize=8)
            ax.set_title(\(py(title)), fontsize=11)
            fig.tight_layout()
            out = sys.argv[1] if len(sys.argv) > 1 else \(py("\(stem)-\(selection.value)-curves.pdf"))
            fig.savefig(out)
            print(f"wrote {out}", file=sys.stderr)

            """
    }
}
