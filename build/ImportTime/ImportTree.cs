using Filare.Perf.Flamegraphs;

namespace Filare.Perf.ImportTime;

/// <summary>A module in the import tree: its own time, with its imports, and who imported it.</summary>
/// <param name="Parent">The module whose import triggered this one; null for a top-level import.</param>
/// <param name="Runs">How many of the merged runs imported it (its times are the median over those).</param>
/// <param name="RunCumulativeUs">Its cumulative time in each run that imported it (a merged tree): the spread a change is judged against.</param>
public sealed record ImportModule(string Module, long SelfUs, long CumulativeUs, string? Parent, int Depth, int Runs = 1,
    IReadOnlyList<long>? RunCumulativeUs = null)
{
    /// <summary>Each run's cumulative time; one value when the tree is one run's.</summary>
    public IReadOnlyList<long> Values => RunCumulativeUs is { Count: > 0 } values ? values : [CumulativeUs];
}

/// <summary>
/// The modules a process imported, as a tree. CPython prints a module when its import completes,
/// so a module's children come before it, one level deeper; <see cref="Of(IReadOnlyList{ImportRecord})"/>
/// rebuilds the nesting from that order and tolerates gaps (a cut-off log leaves orphans at the top).
/// </summary>
public sealed class ImportTree
{
    private readonly Dictionary<string, ImportModule> _byName;

    /// <param name="runTotalsUs">Each merged run's total import time (a merged tree), in run order.</param>
    public ImportTree(IReadOnlyList<ImportModule> modules, int runs = 1, IReadOnlyList<long>? runTotalsUs = null)
    {
        Modules = modules;
        Runs = runs;
        RunTotalsUs = runTotalsUs is { Count: > 0 } totals ? totals : [TotalUs];
        _byName = new Dictionary<string, ImportModule>(StringComparer.Ordinal);
        foreach (var module in modules)
        {
            _byName.TryAdd(module.Module, module);
        }
    }

    /// <summary>In completion order, as CPython printed them.</summary>
    public IReadOnlyList<ImportModule> Modules { get; }

    public int Runs { get; }

    /// <summary>Each run's total import time; one value for one run's tree.</summary>
    public IReadOnlyList<long> RunTotalsUs { get; }

    /// <summary>All import time: the top-level imports' cumulative times (each nested import is inside one of them).</summary>
    public long TotalUs => Modules.Where(m => m.Parent is null).Sum(m => m.CumulativeUs);

    public ImportModule? this[string module] => _byName.GetValueOrDefault(module);

    public static ImportTree Of(IReadOnlyList<ImportRecord> records)
    {
        var names = UniqueNames(records);
        var parents = new string?[records.Count];
        var pending = new Stack<int>();
        for (var i = 0; i < records.Count; i++)
        {
            // Everything deeper that is still waiting was imported while this module was being imported.
            while (pending.Count > 0 && records[pending.Peek()].Depth > records[i].Depth)
            {
                parents[pending.Pop()] = names[i];
            }
            pending.Push(i);
        }
        var modules = records.Select((r, i) => new ImportModule(names[i], r.SelfUs, r.CumulativeUs, parents[i], r.Depth)).ToList();
        return new ImportTree(modules);
    }

    /// <summary>
    /// CPython can print a module twice: `import a.b` imports the package `a` first, and when `a`
    /// itself imports `a.b`, that inner import prints `a.b` with its real work; the outer statement
    /// then completes and prints `a.b` again, its self time near zero, its cumulative time holding
    /// all of `a`. Real Filare 1.6 does this (`filare.models.harness_quantity`). The later lines are
    /// named "a.b (outer)" so that every node has one name and a chain never loops.
    /// </summary>
    private static string[] UniqueNames(IReadOnlyList<ImportRecord> records)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new string[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            var count = seen[records[i].Module] = seen.GetValueOrDefault(records[i].Module) + 1;
            names[i] = count == 1 ? records[i].Module : count == 2 ? $"{records[i].Module} (outer)" : $"{records[i].Module} (outer {count - 1})";
        }
        return names;
    }

    /// <summary>The importers of a module, top-level first: which module pulled it in, and through what.</summary>
    public IReadOnlyList<string> Chain(string module)
    {
        var chain = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { module };
        for (var parent = this[module]?.Parent; parent is not null && seen.Add(parent); parent = this[parent]?.Parent)
        {
            chain.Add(parent);
        }
        chain.Reverse();
        return chain;
    }

    public IReadOnlyList<ImportModule> Top(int count) =>
        Modules.OrderByDescending(m => m.CumulativeUs).ThenBy(m => m.Module, StringComparer.Ordinal).Take(count).ToList();

    /// <summary>
    /// Several runs of one scenario as one tree: each module's median self time over the runs that
    /// imported it, the nesting of the first run that did, and cumulative times added up again from
    /// those (self plus the imports below, as CPython defines them), so the tree, its flamegraph and
    /// its total agree. A stall that hit one module in one run is dropped rather than spread: import
    /// times are noisy at the millisecond level.
    /// </summary>
    public static ImportTree Median(IReadOnlyList<ImportTree> runs)
    {
        if (runs.Count == 1)
        {
            return runs[0];
        }
        var order = new List<ImportModule>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var module in runs.SelectMany(run => run.Modules))
        {
            if (seen.Add(module.Module))
            {
                order.Add(module);
            }
        }
        var merged = order.Select(first =>
        {
            var present = runs.Select(run => run[first.Module]).OfType<ImportModule>().ToList();
            return first with { SelfUs = Middle(present.Select(m => m.SelfUs)), Runs = present.Count,
                RunCumulativeUs = present.SelectMany(m => m.Values).ToList() };
        }).ToList();
        var children = merged.Where(m => m.Parent is not null).ToLookup(m => m.Parent!, StringComparer.Ordinal);
        var cumulative = new Dictionary<string, long>(StringComparer.Ordinal);
        long Cumulative(ImportModule module, HashSet<string> path)
        {
            if (cumulative.TryGetValue(module.Module, out var known))
            {
                return known;
            }
            // Runs that disagree on who imported whom could make a loop: it is cut where it closes.
            path.Add(module.Module);
            var total = module.SelfUs + children[module.Module].Where(c => !path.Contains(c.Module)).Sum(c => Cumulative(c, path));
            path.Remove(module.Module);
            return cumulative[module.Module] = total;
        }
        return new ImportTree(merged.Select(m => m with { CumulativeUs = Cumulative(m, new HashSet<string>(StringComparer.Ordinal)) }).ToList(), runs.Count,
            [.. runs.SelectMany(r => r.RunTotalsUs)]);
    }

    /// <summary>The tree as collapsed stacks weighted by self time, so a frame's width is its cumulative time.</summary>
    public CollapsedStacks ToCollapsed() => CollapsedStacks.From(Modules.Select(m =>
        KeyValuePair.Create(string.Join(';', Chain(m.Module).Append(m.Module).Select(Frame)), m.SelfUs)));

    // Module names never hold ';', but the log is the PR's output: keep a forged one from splitting a frame.
    private static string Frame(string module) => module.Replace(';', ',');

    private static long Middle(IEnumerable<long> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
