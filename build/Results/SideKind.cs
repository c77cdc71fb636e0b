namespace Filare.Perf.Results;

/// <summary>The two sides of a same-runner A/B: the checkout under review and the ref it is compared with.</summary>
public enum SideKind { Head, Base }

public static class SideKinds
{
    /// <summary>As metrics.json spells a side (the keys of <c>sides</c>), and as folders and progress lines name it.</summary>
    public static string Key(this SideKind side) => side == SideKind.Head ? "head" : "base";
}
