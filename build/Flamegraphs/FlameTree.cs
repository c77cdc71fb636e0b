namespace Filare.Perf.Flamegraphs;

/// <summary>Which side's samples give a view its shape.</summary>
public enum FlameSide { Head, Base }

/// <summary>
/// One frame on one path from the root, with both sides' weights: a plain flamegraph uses only
/// the head's, a differential one both. Total includes the frames above it; Self is the weight of
/// stacks that end here (what a sampling profiler was executing in this very frame).
/// </summary>
public sealed class FlameNode
{
    private readonly SortedDictionary<string, FlameNode> _children = new(StringComparer.Ordinal);

    internal FlameNode(string name, FlameNode? parent)
    {
        Name = name;
        Parent = parent;
    }

    public string Name { get; }

    public FlameNode? Parent { get; }

    public long HeadTotal { get; private set; }

    public long HeadSelf { get; private set; }

    public long BaseTotal { get; private set; }

    public long BaseSelf { get; private set; }

    /// <summary>Alphabetical, as flamegraph.pl sorts: the same code paths sit in the same place on both sides.</summary>
    public IEnumerable<FlameNode> Children => _children.Values;

    public long Total(FlameSide side) => side == FlameSide.Head ? HeadTotal : BaseTotal;

    public long Self(FlameSide side) => side == FlameSide.Head ? HeadSelf : BaseSelf;

    /// <summary>The frames from the root's first child down to this one.</summary>
    public IReadOnlyList<string> Path
    {
        get
        {
            var path = new List<string>();
            for (var node = this; node.Parent is not null; node = node.Parent)
            {
                path.Add(node.Name);
            }
            path.Reverse();
            return path;
        }
    }

    public IEnumerable<FlameNode> Descendants() => Children.SelectMany(child => child.Descendants().Prepend(child));

    internal void Add(IReadOnlyList<string> frames, long count, FlameSide side)
    {
        var node = this;
        node.AddTotal(count, side);
        foreach (var frame in frames)
        {
            if (!node._children.TryGetValue(frame, out var child))
            {
                child = new FlameNode(frame, node);
                node._children[frame] = child;
            }
            node = child;
            node.AddTotal(count, side);
        }
        if (side == FlameSide.Head)
        {
            node.HeadSelf += count;
        }
        else
        {
            node.BaseSelf += count;
        }
    }

    private void AddTotal(long count, FlameSide side)
    {
        if (side == FlameSide.Head)
        {
            HeadTotal += count;
        }
        else
        {
            BaseTotal += count;
        }
    }
}

/// <summary>Builds the frame tree of one side's samples, or of both merged by path.</summary>
public static class FlameTree
{
    public const string RootName = "all";

    public static FlameNode Of(CollapsedStacks head) => Of(head, null);

    public static FlameNode Of(CollapsedStacks head, CollapsedStacks? @base)
    {
        var root = new FlameNode(RootName, null);
        foreach (var (stack, count) in head.Counts)
        {
            root.Add(Frames(stack), count, FlameSide.Head);
        }
        foreach (var (stack, count) in @base?.Counts ?? new Dictionary<string, long>())
        {
            root.Add(Frames(stack), count, FlameSide.Base);
        }
        return root;
    }

    private static string[] Frames(string stack) => stack.Split(';');
}
