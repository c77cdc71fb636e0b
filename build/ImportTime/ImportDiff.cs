namespace Filare.Perf.ImportTime;

/// <summary>A module both sides import, with how its cumulative import time changed.</summary>
/// <param name="Chain">Its importers on the head's side, top-level first.</param>
public sealed record ImportChange(string Module, long BaseCumulativeUs, long HeadCumulativeUs, IReadOnlyList<string> Chain)
{
    public long ChangeUs => HeadCumulativeUs - BaseCumulativeUs;
}

/// <summary>A module only one side imports, and everything it pulled in that the other side does not import either.</summary>
/// <param name="Modules">Itself and the one-side-only modules below it.</param>
/// <param name="Chain">Its importers on its side, top-level first: which module brought it in.</param>
public sealed record OneSideImport(string Module, long CumulativeUs, int Modules, IReadOnlyList<string> Chain);

/// <summary>
/// Whether a change in import time (a module's cumulative time, or the total) is beyond the noise
/// of the runs both sides made: every head run on one side of every base run (for 3 + 3 runs, the
/// one-sided Mann–Whitney test's smallest p, 1/20), and the change of the medians at least the
/// noise floor (the wider of the two sides' spreads, max − min), 1 ms and 10% of the base. Fewer
/// than two runs on a side cannot tell a change from noise and never report one. A module's floor
/// is raised to the total import time's: hundreds of modules each tested at p = 1/20 would give
/// dozens of false changes in an A/A run (the fixture's did: `encodings` "shrank" 15 ms), while the
/// total's spread bounds what the runner's noise did to the same runs, whatever the module count.
/// </summary>
public static class ImportNoise
{
    /// <summary>Growth below 1 ms, or below 10% of the module's base time, is never listed: at that size it is the runner's noise.</summary>
    public const long MinimumUs = 1000;

    public const double MinimumShare = 0.10;

    /// <returns>The noise floor (µs) and whether the change lies beyond it.</returns>
    /// <param name="raisedTo">A floor from outside these runs (the total's, for a module).</param>
    public static (long FloorUs, bool Beyond) Of(IReadOnlyList<long> before, IReadOnlyList<long> after, long raisedTo = 0)
    {
        var floor = Math.Max(raisedTo, Math.Max(Spread(before), Spread(after)));
        if (before.Count < 2 || after.Count < 2)
        {
            return (floor, false);
        }
        var change = Median(after) - Median(before);
        var apart = after.Min() > before.Max() || after.Max() < before.Min();
        return (floor, apart && Math.Abs(change) >= Math.Max(Math.Max(MinimumUs, floor), (long)(Median(before) * MinimumShare)));
    }

    public static long Median(IReadOnlyList<long> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static long Spread(IReadOnlyList<long> values) => values.Count < 2 ? 0 : values.Max() - values.Min();
}

/// <summary>
/// Head's import tree against the base's: what grew or shrank beyond the noise of the runs
/// (<see cref="ImportNoise"/>), what is new (imported only by the head), what is gone (only by the
/// base). New and gone are facts and listed without a test, by the module where the difference
/// starts: one new `import matplotlib` is one row with its hundreds of submodules counted.
/// </summary>
/// <param name="TotalFloorUs">The noise floor of the total import time: the wider spread of the two sides' runs.</param>
/// <param name="TotalChanged">The total's change lies beyond that floor (and the runs do not overlap).</param>
/// <param name="Runs">The fewer runs of the two sides: below two nothing can be told from noise.</param>
public sealed record ImportDiff(long BaseTotalUs, long HeadTotalUs, IReadOnlyList<ImportChange> Grew, IReadOnlyList<OneSideImport> New,
    IReadOnlyList<OneSideImport> Gone,
    IReadOnlyList<ImportChange>? Shrank = null, long TotalFloorUs = 0, bool TotalChanged = false, int Runs = 1)
{
    public long ChangeUs => HeadTotalUs - BaseTotalUs;

    public IReadOnlyList<ImportChange> Shrunk => Shrank ?? [];

    public static ImportDiff Of(ImportTree @base, ImportTree head, int count = 10)
    {
        var (floor, changed) = ImportNoise.Of(@base.RunTotalsUs, head.RunTotalsUs);
        var changes = head.Modules
            .Where(m => @base[m.Module] is not null)
            .Select(m => (Module: m, Before: @base[m.Module]!))
            .Where(p => ImportNoise.Of(p.Before.Values, p.Module.Values, floor).Beyond)
            .Select(p => new ImportChange(p.Module.Module, p.Before.CumulativeUs, p.Module.CumulativeUs, head.Chain(p.Module.Module)))
            .ToList();
        return new ImportDiff(@base.TotalUs, head.TotalUs,
            [.. changes.Where(c => c.ChangeUs > 0).OrderByDescending(c => c.ChangeUs).ThenBy(c => c.Module, StringComparer.Ordinal).Take(count)],
            OnlyIn(head, @base, count), OnlyIn(@base, head, count),
            [.. changes.Where(c => c.ChangeUs < 0).OrderBy(c => c.ChangeUs).ThenBy(c => c.Module, StringComparer.Ordinal).Take(count)],
            floor, changed, Math.Min(@base.RunTotalsUs.Count, head.RunTotalsUs.Count));
    }

    private static List<OneSideImport> OnlyIn(ImportTree side, ImportTree other, int count)
    {
        bool Only(string? module) => module is not null && side[module] is not null && other[module] is null;
        var roots = side.Modules.Where(m => Only(m.Module) && !Only(m.Parent)).ToList();
        return roots
            .Select(root => new OneSideImport(root.Module, root.CumulativeUs,
                1 + side.Modules.Count(m => Only(m.Module) && side.Chain(m.Module).Contains(root.Module)), side.Chain(root.Module)))
            .OrderByDescending(i => i.CumulativeUs)
            .ThenBy(i => i.Module, StringComparer.Ordinal)
            .Take(count)
            .ToList();
    }
}
