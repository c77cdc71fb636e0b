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
/// Head's import tree against the base's: what grew, what is new (imported only by the head), what
/// is gone (only by the base). New and gone are listed by the module where the difference starts:
/// one new `import matplotlib` is one row with its hundreds of submodules counted, not hundreds of rows.
/// </summary>
public sealed record ImportDiff(long BaseTotalUs, long HeadTotalUs, IReadOnlyList<ImportChange> Grew, IReadOnlyList<OneSideImport> New, IReadOnlyList<OneSideImport> Gone)
{
    public long ChangeUs => HeadTotalUs - BaseTotalUs;

    /// <summary>Growth below 1 ms, or below 10% of the module's base time, is not listed: at that size it is the runner's noise.</summary>
    public const long MinimumGrowthUs = 1000;

    public const double MinimumGrowth = 0.10;

    public static ImportDiff Of(ImportTree @base, ImportTree head, int count = 10)
    {
        var grew = head.Modules
            .Where(m => @base[m.Module] is not null)
            .Select(m => new ImportChange(m.Module, @base[m.Module]!.CumulativeUs, m.CumulativeUs, head.Chain(m.Module)))
            .Where(c => c.ChangeUs >= Math.Max(MinimumGrowthUs, c.BaseCumulativeUs * MinimumGrowth))
            .OrderByDescending(c => c.ChangeUs)
            .ThenBy(c => c.Module, StringComparer.Ordinal)
            .Take(count)
            .ToList();
        return new ImportDiff(@base.TotalUs, head.TotalUs, grew, OnlyIn(head, @base, count), OnlyIn(@base, head, count));
    }

    private static List<OneSideImport> OnlyIn(ImportTree side, ImportTree other, int count)
    {
        bool Only(string? module) => module is not null && side[module] is not null && other[module] is null;
        var roots = side.Modules.Where(m => Only(m.Module) && !Only(m.Parent)).ToList();
        return roots
            .Select(root => new OneSideImport(root.Module, root.CumulativeUs, 1 + side.Modules.Count(m => Only(m.Module) && side.Chain(m.Module).Contains(root.Module)), side.Chain(root.Module)))
            .OrderByDescending(i => i.CumulativeUs)
            .ThenBy(i => i.Module, StringComparer.Ordinal)
            .Take(count)
            .ToList();
    }
}
