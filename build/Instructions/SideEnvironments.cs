namespace Filare.Perf.Instructions;

/// <summary>
/// Both sides of a counted A/B in the same variables. The base may carry variables the head does not
/// (the shared interpreter puts the base's source first on PYTHONPATH): every extra directory on
/// sys.path is searched on every import, which alone is about 1% of the fixture's instructions.
/// A variable that names the base's checkout is given to the head naming the head's; what still
/// differs is listed, and recorded beside the counts.
/// </summary>
public static class SideEnvironments
{
    public static (IReadOnlyDictionary<string, string> Head, IReadOnlyDictionary<string, string> Base, IReadOnlyList<string> Differences) Equalize(
        IReadOnlyDictionary<string, string> head, string headRoot, IReadOnlyDictionary<string, string> @base, string baseRoot)
    {
        var equalHead = new Dictionary<string, string>(head, StringComparer.Ordinal);
        var differences = new List<string>();
        foreach (var name in head.Keys.Union(@base.Keys).Order(StringComparer.Ordinal))
        {
            var headValue = head.GetValueOrDefault(name);
            var baseValue = @base.GetValueOrDefault(name);
            if (headValue == baseValue)
            {
                continue;
            }
            if (baseValue is not null && baseValue.Contains(baseRoot, StringComparison.Ordinal))
            {
                equalHead[name] = baseValue.Replace(baseRoot, headRoot, StringComparison.Ordinal);
                continue;
            }
            differences.Add(name);
        }
        return (equalHead, @base, differences);
    }
}
