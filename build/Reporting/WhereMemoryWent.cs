using System.Globalization;
using System.Text;
using Filare.Perf.Results;

namespace Filare.Perf.Reporting;

/// <summary>
/// "Where the memory went": each scenario's Python heap peak under tracemalloc, before and after,
/// with the analysis's verdict (more / less / unchanged / inconclusive), the heap at exit, peak RSS
/// per kind of process, and the allocation sites whose size at the peak grew or shrank most (the
/// line in Filare's code first, the line that allocated beside it). The PR comment gets the compact
/// form: one row per scenario and the top site that grew.
/// </summary>
public static class WhereMemoryWent
{
    public const string Title = "Where the memory went";

    public const string WhatItIs = "The Python heap as tracemalloc counts it, in one run per side from the interpreter's start (PYTHONHASHSEED fixed): " +
        "what Filare's Python objects hold, repeatable to about 0.001%. Not RSS: the interpreter, C libraries and `dot` are in the peak RSS per process kind.";

    public static void Write(ReportContext context, StringBuilder text)
    {
        var traced = context.Metrics.Scenarios.Where(s => s.Heap is not null).ToList();
        if (traced.Count == 0)
        {
            return;
        }
        text.AppendLine($"### {Title}").AppendLine().AppendLine(WhatItIs).AppendLine();
        var against = context.Compared ? "Base" : context.Baseline is not null ? "Baseline" : null;
        var table = against is null
            ? new MarkdownTable(new Column("Scenario"), Column.Right("Heap peak"), Column.Right("At exit"), new Column("Peak RSS per process"))
            : new MarkdownTable(new Column("Scenario"), Column.Right(against), Column.Right("Head"), new Column("Heap peak"), new Column("At exit"),
                new Column("Peak RSS per process"));
        var notes = new List<string>();
        foreach (var scenario in traced)
        {
            var change = context.Analysis.For(scenario.Name).Heap;
            var name = Markdown.Escape(scenario.Name);
            if (against is null)
            {
                table.Row(name, PeakCell(scenario.Heap), ExitCell(scenario.Heap), Split(scenario.Heap!));
            }
            else
            {
                var before = change?.Peak.Before is { } b ? HeapRun.Bytes(b) : PeakCell(context.Compared ? scenario.Base?.Heap : null);
                table.Row(name, before, PeakCell(scenario.Heap), change is null ? "-" : VerdictCell(change.Peak),
                    change?.AtExit is { } exit ? Signed(exit) : "-", change is null
                    ? Split(scenario.Heap!)
                    : string.Join(", ", change.Rss.Select(r => $"{Kind(r)} {(r.Verdict == MemoryVerdict.Unchanged ? "same" : Signed(r))}")));
            }
            notes.AddRange(Problems(scenario));
            if (change is not null)
            {
                notes.AddRange(change.Caveats.Select(c => $"{scenario.Name}: {c}"));
            }
        }
        text.Append(table.Render()).AppendLine();
        if (traced.Select(s => context.Analysis.For(s.Name).Heap).OfType<HeapComparison>().FirstOrDefault() is { } first)
        {
            text.AppendLine($"<sub>{Markdown.Escape(ThresholdText(first, context.IsCalibration))}.</sub>").AppendLine();
        }
        foreach (var note in notes.Distinct())
        {
            text.AppendLine($"> ⚠️ {Markdown.Escape(note)}").AppendLine();
        }
        foreach (var scenario in traced)
        {
            Sites(context, scenario, text);
        }
    }

    /// <summary>The comment's form: a verdict line per scenario with the site that grew most.</summary>
    public static void WriteCompact(ReportContext context, StringBuilder text)
    {
        var changes = context.Metrics.Scenarios.Select(s => (s.Name, Change: context.Analysis.For(s.Name).Heap, Run: s.Heap)).Where(c => c.Change is not null)
            .ToList();
        if (changes.Count == 0)
        {
            return;
        }
        var table = new MarkdownTable(new Column("Scenario"), new Column("Heap peak"), new Column("Grew most at the peak"));
        foreach (var (name, change, _) in changes)
        {
            table.Row(Markdown.Escape(name), VerdictCell(change!.Peak),
                change.Grew.FirstOrDefault() is { } top ? $"{SiteCell(top)} +{HeapRun.Bytes(top.Change)}" : "-");
        }
        text.AppendLine($"**{Title}** (Python heap, tracemalloc)").AppendLine().Append(table.Render()).AppendLine();
    }

    private static void Sites(ReportContext context, ScenarioResult scenario, StringBuilder text)
    {
        var change = context.Analysis.For(scenario.Name).Heap;
        if (change is null || change.Grew.Count + change.Shrank.Count == 0)
        {
            MemrayLine(context, scenario, change, text);
            return;
        }
        var table = new MarkdownTable(Column.Right("Change"), new Column("Filare's line"), new Column("Allocated at"), Column.Right("Before"),
            Column.Right("After"));
        // Changes under a kilobyte are the allocator's rounding and import order, not findings.
        foreach (var site in change.Grew.Concat(change.Shrank).Where(s => Math.Abs(s.Change) >= 1024))
        {
            var before = site.Before == 0 && !site.Listed ? "not listed" : HeapRun.Bytes(site.Before);
            var after = site.After == 0 && !site.Listed ? "not listed" : HeapRun.Bytes(site.After);
            table.Row(Bytes(site.Change), site.Site is null ? "*none in reach*" : Markdown.Code(site.Site), Markdown.Code(site.AllocatedAt), before, after);
        }
        if (table.RowCount == 0)
        {
            MemrayLine(context, scenario, change, text);
            return;
        }
        var when = scenario.Heap?.Program is { } program
            ? $"snapshot {Percent(program.SnapshotBytes, program.PeakBytes)} of the peak, {program.SnapshotWhen}"
            : "";
        text.Append(table.RenderCollapsed($"{Markdown.Escape(scenario.Name)}: allocation sites whose size at the peak changed most ({Markdown.Escape(when)})"));
        text.AppendLine();
        MemrayLine(context, scenario, change, text);
    }

    /// <summary>Memray's own figures of both sides and its flamegraphs side by side, when it ran on both.</summary>
    private static void MemrayLine(ReportContext context, ScenarioResult scenario, HeapComparison? change, StringBuilder text)
    {
        if (change is null || change.Memray.Count == 0)
        {
            return;
        }
        var figures = string.Join("; ", change.Memray.Select(m => $"{m.Scope} {Signed(m)} ({VerdictWord(m.Verdict)})"));
        var graphs = new[] { ("base", scenario.Base?.Profilers), ("head", (IReadOnlyList<ProfilerRun>?)scenario.Profilers) }
            .Select(s => (s.Item1, Path: s.Item2?.FirstOrDefault(p => p.Tool == ProfilerNames.Memray)?.Artifacts.FirstOrDefault(a =>
                a.Kind is ArtifactKinds.Flamegraph or "table")?.Path))
            .Where(s => s.Path is not null).Select(s => $"{s.Item1} {Markdown.Code(s.Path!)}").ToList();
        var artifact = context.Links.ScenarioArtifact(scenario.Name) is { } url ? $" ({Markdown.Link("artifact", url)})" : "";
        text.AppendLine($"Memray, {Markdown.Escape(scenario.Name)}: {Markdown.Escape(figures)}." +
            (graphs.Count > 0 ? $" Flamegraphs side by side: {string.Join(" · ", graphs)}{artifact}." : "")).AppendLine();
    }

    private static IEnumerable<string> Problems(ScenarioResult scenario) =>
        new[] { ("head", scenario.Heap), ("base", scenario.Base?.Heap) }
            .Where(s => s.Item2 is { Status: not (HeapStatus.Ok or HeapStatus.Skipped) })
            .Select(s => $"{scenario.Name}: the {s.Item1}'s heap run {s.Item2!.StatusText.Split('\n')[0]}; its other results are kept");

    private static string PeakCell(HeapRun? run) => run switch
    {
        null => "-",
        { Program: { } program } => HeapRun.Bytes(program.PeakBytes),
        _ => Markdown.Escape(Brief(run.StatusText)),
    };

    private static string ExitCell(HeapRun? run) =>
        run?.Program is { } p ? $"{HeapRun.Bytes(p.ExitBytes)} in {p.ExitBlocks.ToString("N0", CultureInfo.InvariantCulture)} blocks" : "-";

    private static string Split(HeapRun run) =>
        string.Join(", ", run.ByKind().Select(k => $"{k.Kind.ToString().ToLowerInvariant()} {HeapRun.Bytes(k.PeakRssBytes)}"));

    private static string Kind(MemoryDelta delta) => delta.Scope.Replace(" peak RSS", "", StringComparison.Ordinal);

    public static string VerdictCell(MemoryDelta delta) => delta.Verdict switch
    {
        MemoryVerdict.More => $"🔴 **more memory** {Signed(delta)}",
        MemoryVerdict.Less => $"🟢 **less memory** {Signed(delta)}",
        MemoryVerdict.Unchanged => $"⚪ unchanged {Signed(delta)}",
        _ => $"❔ inconclusive: {Markdown.Escape(Brief(delta.Why))}",
    };

    private static string VerdictWord(MemoryVerdict verdict) => verdict switch
    {
        MemoryVerdict.More => "more",
        MemoryVerdict.Less => "less",
        MemoryVerdict.Unchanged => "unchanged",
        _ => "inconclusive",
    };

    private static string SiteCell(SiteDelta site) =>
        site.Site is null
            ? Markdown.Code(site.AllocatedAt)
            : site.Site == site.AllocatedAt ? Markdown.Code(site.Site) : $"{Markdown.Code(site.Site)} → {Markdown.Code(site.AllocatedAt)}";

    private static string Signed(MemoryDelta delta) => double.IsFinite(delta.Ratio)
        ? string.Create(CultureInfo.InvariantCulture, $"{(delta.Ratio - 1) * 100:+0.###;-0.###;0}%")
        : Markdown.Escape(Brief(delta.Why));

    private static string Bytes(long change) => (change > 0 ? "+" : change < 0 ? "−" : "") + HeapRun.Bytes(Math.Abs(change));

    private static string Percent(long part, long whole) => whole > 0 ? string.Create(CultureInfo.InvariantCulture, $"{100.0 * part / whole:0.#}%") : "?";

    private static string ThresholdText(HeapComparison change, bool isCalibration) =>
        isCalibration && change.NoiseFloor is { } floor
            ? string.Create(CultureInfo.InvariantCulture, $"A/A heap noise floor {floor * 100:0.####}% (threshold {change.Threshold * 100:0.##}%)")
            : change.NoiseFloor is { } raised
                ? string.Create(CultureInfo.InvariantCulture,
                    $"threshold {change.Threshold * 100:0.##}%, raised to the A/A heap noise floor {raised * 100:0.####}%")
                : string.Create(CultureInfo.InvariantCulture,
                    $"threshold ±{change.Threshold * 100:0.##}% of the heap peak (--heap-threshold); no heap noise floor calibrated");

    private static string Brief(string message)
    {
        var line = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
        return line.Length <= 80 ? line : line[..79] + "…";
    }
}
