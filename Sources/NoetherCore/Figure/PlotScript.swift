import Foundation

/// `sweep show --script FILE.py`: the figure as a short Python script (pandas + matplotlib) that
/// reads the same database with the same SQL, averages the same way and draws the same figure,
/// for the reader to edit. Run as `python3 FILE.py [OUT.pdf]`; it prints the points it draws as
/// CSV (x, y, mean, error, n), the numbers `sweep show --table` prints.
extension PhaseDiagram {
    public func script(
        database: String, kind: PlotKind, error: ErrorKind, logX: Bool, logY: Bool,
        expression: (TheoryExpression, text: String)?
    ) -> String {
        let py = PythonScript.string
        let stem = URL(fileURLWithPath: database).deletingPathExtension().lastPathComponent
        let figureTitle = figureTitle() + (kind == .heatmap ? (y.map { " and \(Vocabulary.label($0))" } ?? "") : "")
        var s = """
            #!/usr/bin/env python3
            # \(figureTitle), from \(database).
            # Written by `noether sweep show --script`: edit freely. It reads the results database with the
            # query sweep show uses, averages each point over its runs, prints the points as CSV and draws
            # the figure into the file named on the command line (default \(stem)-\(quantity).pdf).
            import sqlite3
            import sys

            import matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
            import numpy as np
            import pandas as pd

            DATABASE = \(py(database))
            FAMILY = \(family.map(py) ?? "None")
            ERROR = \(py(error.rawValue))  # std, sem or ci95
            QUERY = \"\"\"
            \(query)
            \"\"\"
            \(PythonScript.lookAndQuantiles)

            runs = pd.read_sql_query(QUERY, sqlite3.connect(DATABASE), params=() if FAMILY is None else (FAMILY,))
            runs = runs[np.isfinite(pd.to_numeric(runs["value"], errors="coerce"))]
            points = runs.groupby(["y", "x"], dropna=False).agg(
                mean=("value", "mean"), std=("value", "std"), n=("value", "count"), theory=("theory", "mean")).reset_index()
            t = points["n"].map(lambda n: T975[n - 2] if 2 <= n <= len(T975) + 1 else 1.96)
            points["error"] = {"std": points["std"], "sem": points["std"] / np.sqrt(points["n"]),
                               "ci95": t * points["std"] / np.sqrt(points["n"])}[ERROR]
            print(points[["x", "y", "mean", "error", "n"]].to_csv(index=False), end="")


            """
        let xLabel = Vocabulary.label(x), yLabel = Vocabulary.label(quantity)
        let byLabel = y.map { Vocabulary.label($0) }
        if kind == .heatmap {
            // The colour range and the ink of each cell's number as the SVG has them.
            let norm =
                theoryCentre.map { c in
                    """
                    # Colours diverge from white at the theory's \(c), over a range symmetric about it.
                    values = grid.values[np.isfinite(grid.values)]
                    half = max(abs(values - \(c)).max(), abs(\(c)) * 1e-3, 1e-12)
                    norm = matplotlib.colors.Normalize(\(c) - half, \(c) + half)
                    # The SVG's blue-white-red stops (ColorBrewer RdBu, reversed).
                    cmap = matplotlib.colors.LinearSegmentedColormap.from_list(
                        "diverging", [\(Self.diverging.map { "\"\(Self.hex($0))\"" }.joined(separator: ", "))])
                    dark = lambda f: abs(f - 0.5) > 0.33  # white numbers on the deep blues and reds
                    """
                }
                    ?? """
                    values = grid.values[np.isfinite(grid.values)]
                    norm = matplotlib.colors.Normalize(values.min(), values.max())
                    cmap = "viridis"
                    dark = lambda f: f < 0.55  # white numbers on the darker half of viridis
                    """
            s += """
                grid = points.pivot(index="y", columns="x", values="mean")
                \(norm)
                fig, ax = plt.subplots(figsize=(7, 4.8))
                image = ax.imshow(grid.values, origin="lower", cmap=cmap, norm=norm, aspect="auto")
                for (j, i), v in np.ndenumerate(grid.values):
                    if np.isfinite(v):
                        f = (v - norm.vmin) / (norm.vmax - norm.vmin) if norm.vmax > norm.vmin else 0.5
                        ax.text(i, j, f"{v:.3g}", ha="center", va="center", fontsize=9,
                                color="white" if dark(f) else "black")
                ax.set_xticks(range(len(grid.columns)), [f"{v:.4g}" for v in grid.columns])
                ax.set_yticks(range(len(grid.index)), [f"{v:.4g}" if isinstance(v, float) else str(v) for v in grid.index])
                fig.colorbar(image, ax=ax, label=\(py(yLabel)))
                ax.set_xlabel(\(py(xLabel)))
                ax.set_ylabel(\(py(byLabel ?? "")))

                """
        } else {
            if kind == .scatter {
                s += """
                    # The runs at one x, line by line, take evenly spaced slots over ±\(Int(Plot.scatterSpread)) px (\(Plot.scatterSpread * 0.75) pt).
                    runs = runs.sort_values("y", kind="stable")
                    runs["slot"] = runs.groupby("x").cumcount()
                    runs["slots"] = runs.groupby("x")["x"].transform("size")

                    """
            }
            s += """
                fig, ax = plt.subplots(figsize=(7.5, 4.8))
                for k, (by, line) in enumerate(points.groupby("y", dropna=False)):
                    label = \(byLabel.map { "\(py($0 + " = ")) + f\"{by:.4g}\"" } ?? "\"\(kind == .scatter ? "runs" : "measured")\"")
                    color = PALETTE[k % len(PALETTE)]

                """
            if kind == .scatter {
                s += """
                        # Each run a half-transparent marker in its slot along x, so equal values stay visible.
                        here = runs[runs["y"].isna() if pd.isna(by) else runs["y"] == by]
                        for i, run in enumerate(here.itertuples()):
                            dx = \(Plot.scatterSpread * 0.75) * (2 * run.slot / (run.slots - 1) - 1) if run.slots > 1 else 0
                            shift = matplotlib.transforms.offset_copy(ax.transData, fig=fig, x=dx, units="points")
                            ax.plot([run.x], [run.value], MARKERS[k % 5], color=color, alpha=0.6, transform=shift,
                                    label=label if i == 0 else None)

                    """
            } else {
                s += """
                        ax.errorbar(line["x"], line["mean"], yerr=line["error"], marker=MARKERS[k % 5], capsize=3,
                                    color=color, linestyle=DASHES[k % len(DASHES)], label=label)

                    """
            }
            switch theory {
            case .constant(let c, let label)?:
                s += "ax.axhline(\(c), linestyle=\"--\", color=\"black\", label=\(py("theory: " + label)))\n"
            case .column(_, let label)?:
                s += """
                    for k, (by, line) in enumerate(points.groupby("y", dropna=False)):
                        ax.plot(line["x"], line["theory"], "--", color=PALETTE[k % len(PALETTE)], linewidth=1.1, label=\(py("theory: " + label)) if k == 0 else None)

                    """
            case .flatInLearningRate(let label)? where ResultsDatabase.column(of: x) == "lr":
                s += """
                    # First order in η: flat at the η → 0 intercept of a straight-line fit a + bη.
                    for k, (by, line) in enumerate(points.groupby("y", dropna=False)):
                        b, a = np.polyfit(line["x"], line["mean"], 1) if len(line) > 1 else (0, line["mean"].iloc[0])
                        ax.axhline(a, linestyle="--", color=PALETTE[k % len(PALETTE)], linewidth=1.1, label=\(py("theory: " + label)) + f" at {a:.3g}")

                    """
            default: break
            }
            if let (e, text) = expression {
                s += """
                    # The theory given with --theory.
                    xs = np.\(logX ? "geomspace" : "linspace")(points["x"].min(), points["x"].max(), 61)
                    for k, (by, line) in enumerate(points.groupby("y", dropna=False)):
                        row = {\(py(ResultsDatabase.column(of: x))): xs\(y.map { ", \(py(ResultsDatabase.column(of: $0))): by" } ?? "")}
                        ax.plot(xs, \(e.python()) * np.ones_like(xs), "--", color=PALETTE[k % len(PALETTE)], linewidth=1.1, label=\(py("theory: " + text)) if k == 0 else None)

                    """
            }
            s += """
                \(logX ? "ax.set_xscale(\"log\")\nax.set_xticks(sorted(points[\"x\"].unique()), [f\"{v:.4g}\" for v in sorted(points[\"x\"].unique())])\nax.minorticks_off()\n" : "")\(logY ? "ax.set_yscale(\"log\")\n" : "")ax.set_xlabel(\(py(xLabel + (logX ? "  (log scale)" : ""))))
                ax.set_ylabel(\(py(yLabel + (logY ? "  (log scale)" : ""))))
                ax.legend(fontsize=8)

                """
        }
        s += """
            ax.set_title(\(py(figureTitle)), fontsize=11)
            fig.tight_layout()
            out = sys.argv[1] if len(sys.argv) > 1 else \(py("\(stem)-\(quantity).pdf"))
            fig.savefig(out)
            print(f"wrote {out}", file=sys.stderr)

            """
        return s
    }
}
