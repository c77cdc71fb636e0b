namespace Filare.Perf.Flamegraphs;

/// <summary>One frame's weight on both sides, each as a share of its own side's total.</summary>
/// <param name="Path">Root first; the frame is the last element.</param>
public sealed record FrameChange(
    IReadOnlyList<string> Path,
    long HeadSelf,
    long BaseSelf,
    double HeadSelfShare,
    double BaseSelfShare,
    double HeadTotalShare,
    double BaseTotalShare)
{
    public string Frame => Path[^1];

    /// <summary>Change of the self share, head minus base, as a fraction (0.05 is five percentage points).</summary>
    public double SelfShareChange => HeadSelfShare - BaseSelfShare;

    public bool HeadOnly => HeadTotalShare > 0 && BaseTotalShare == 0;

    public bool BaseOnly => BaseTotalShare > 0 && HeadTotalShare == 0;
}

/// <summary>
/// Brendan Gregg's differential flame graph (difffolded.pl -n, then flamegraph.pl): both sides
/// normalised to shares of their own totals, so a longer head run is not "everything grew"; each
/// frame is coloured by the change of its self share, red where it grew, blue where it shrank,
/// white where it did not, intensity relative to the largest change in the graph. With a noise test
/// (<see cref="Of(CollapsedStacks, CollapsedStacks, Func{FrameChange, bool}?)"/>), a frame whose change
/// is within the noise of the runs is grey whatever its share did: a reviewer reads colour as change.
/// </summary>
public sealed class FlameDiff
{
    /// <summary>A frame both sides have whose change the runs cannot tell from noise.</summary>
    public static readonly (int Red, int Green, int Blue) Neutral = (221, 221, 221);

    private readonly Func<FrameChange, bool>? _beyondNoise;

    private readonly bool _sampled;

    private FlameDiff(FlameNode root, IReadOnlyList<FrameChange> frames, Func<FrameChange, bool>? beyondNoise, bool sampled)
    {
        Root = root;
        Frames = frames;
        _beyondNoise = beyondNoise;
        _sampled = sampled;
        MaxChange = frames.Where(Coloured).Select(f => Math.Abs(f.SelfShareChange)).DefaultIfEmpty(0).Max();
    }

    public FlameNode Root { get; }

    /// <summary>Every frame of either side, by path.</summary>
    public IReadOnlyList<FrameChange> Frames { get; }

    /// <summary>The largest absolute self-share change: full red or full blue.</summary>
    public double MaxChange { get; }

    public long HeadTotal => Root.HeadTotal;

    public long BaseTotal => Root.BaseTotal;

    /// <param name="beyondNoise">Whether a frame's change is beyond the noise of the runs (null: every change is coloured).</param>
    /// <param name="sampled">The stacks are samples: a frame on one side only may be a few samples of chance, and is tested too.</param>
    public static FlameDiff Of(CollapsedStacks @base, CollapsedStacks head, Func<FrameChange, bool>? beyondNoise = null, bool sampled = false)
    {
        var root = FlameTree.Of(head, @base);
        var frames = root.Descendants().Select(node => Change(root, node)).ToList();
        return new FlameDiff(root, frames, beyondNoise, sampled);
    }

    /// <summary>
    /// Sampled stacks (py-spy) against a noise floor on shares: every frame, one side's only too, is
    /// coloured only when its self share moved beyond <paramref name="beyondShares"/>(base share, head
    /// share, base total, head total). The report's "what grew" and the differential views both come
    /// from here, so a frame listed as grown is the frame drawn red.
    /// </summary>
    public static FlameDiff Sampled(CollapsedStacks @base, CollapsedStacks head, Func<double, double, long, long, bool> beyondShares) =>
        Of(@base, head, f => beyondShares(f.BaseSelfShare, f.HeadSelfShare, @base.Total, head.Total), sampled: true);

    /// <summary>Frames are tested against noise: the legend says what grey means.</summary>
    public bool Tested => _beyondNoise is not null;

    /// <summary>
    /// New and vanished frames of a complete record (an import tree) are facts; a frame on both sides,
    /// or any frame of sampled stacks, is coloured only when its change passed the noise test.
    /// </summary>
    /// <remarks>The root (an empty path, "all") is no frame of either side: it is never tested.</remarks>
    public bool Coloured(FrameChange frame) =>
        _beyondNoise is null || frame.Path.Count == 0 || (!_sampled && (frame.HeadOnly || frame.BaseOnly)) || _beyondNoise(frame);

    public FrameChange Change(FlameNode node) => Change(Root, node);

    /// <summary>The frames whose self share grew most (beyond noise, with a noise test), largest first (the report's "what grew").</summary>
    public IReadOnlyList<FrameChange> Grew(int count) =>
        Frames.Where(f => f.SelfShareChange > 0 && Coloured(f))
            .OrderByDescending(f => f.SelfShareChange)
            .ThenBy(f => string.Join(';', f.Path), StringComparer.Ordinal)
            .Take(count)
            .ToList();

    /// <summary>flamegraph.pl's color_scale (rounded): white at no change, up to pure red (grew) or pure blue (shrank).</summary>
    public (int Red, int Green, int Blue) Colour(FlameNode node)
    {
        var frame = Change(node);
        if (!Coloured(frame))
        {
            return Neutral;
        }
        var change = frame.SelfShareChange;
        if (MaxChange <= 0 || change == 0)
        {
            return (255, 255, 255);
        }
        // Rounded, not cut as flamegraph.pl's int(): 0.65 - 0.4 is 0.24999... in binary.
        var fade = (int)Math.Round(210 * (MaxChange - Math.Abs(change)) / MaxChange);
        return change > 0 ? (255, fade, fade) : (fade, fade, 255);
    }

    private static FrameChange Change(FlameNode root, FlameNode node) => new(
        node.Path,
        node.HeadSelf,
        node.BaseSelf,
        Share(node.HeadSelf, root.HeadTotal),
        Share(node.BaseSelf, root.BaseTotal),
        Share(node.HeadTotal, root.HeadTotal),
        Share(node.BaseTotal, root.BaseTotal));

    private static double Share(long part, long total) => total > 0 ? (double)part / total : 0;
}
