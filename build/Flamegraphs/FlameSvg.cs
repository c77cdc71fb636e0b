using System.Globalization;
using System.Text;

namespace Filare.Perf.Flamegraphs;

/// <summary>What a flamegraph shows: a title and legend, the unit its weights are in.</summary>
/// <param name="Unit">"samples" (py-spy) or "µs" (import time).</param>
public sealed record FlameGraphLabels(string Title, string Subtitle, string Unit);

/// <summary>
/// Our own flamegraph renderer: an icicle (root on top, as py-spy draws), one rectangle per frame,
/// width by weight, a &lt;title&gt; tooltip on each. Self-contained SVG: no script, no stylesheet
/// link, no font or image from elsewhere, so it opens from an artifact in any browser and cannot run
/// anything. Every name is escaped (<see cref="SvgText"/>): frame names come from the PR's code.
/// </summary>
public static class FlameSvg
{
    public const double Width = 1200;
    private const double Margin = 10;
    private const double FrameHeight = 16;
    private const double Top = 70;
    private const double CharWidth = 7;

    /// <summary>Frames narrower than this (pixels) are left out with what is above them, as flamegraph.pl's --minwidth.</summary>
    public const double MinWidth = 0.1;

    /// <summary>One side's profile, warm colours that only tell frames apart.</summary>
    public static string Plain(FlameNode root, FlameGraphLabels labels) =>
        Render(root, FlameSide.Head, labels, node => Warm(node.Name), node => PlainTooltip(root, node, labels.Unit));

    /// <summary>A differential view in the shape of <paramref name="shape"/>'s samples (the base's: the negated view).</summary>
    public static string Differential(FlameDiff diff, FlameSide shape, FlameGraphLabels labels) =>
        Render(diff.Root, shape, labels, diff.Colour, node => DiffTooltip(diff, node, labels.Unit));

    private static string Render(FlameNode root, FlameSide shape, FlameGraphLabels labels, Func<FlameNode, (int Red, int Green, int Blue)> fill,
        Func<FlameNode, IEnumerable<string>> tooltip)
    {
        var frames = new StringBuilder();
        var total = root.Total(shape);
        var depth = total > 0 ? Draw(root, 0, Margin, (Width - 2 * Margin) / total) : 0;
        var height = Top + (depth + 1) * FrameHeight + 30;

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>""").Append('\n');
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{Width:0}" height="{height:0}" """ +
            $"""viewBox="0 0 {Width:0} {height:0}" font-family="Verdana, DejaVu Sans, sans-serif" font-size="12">""").Append('\n');
        svg.Append("<title>").Append(SvgText.Escape(labels.Title)).Append("</title>\n");
        svg.Append(CultureInfo.InvariantCulture, $"""<rect x="0" y="0" width="{Width:0}" height="{height:0}" fill="#f8f8f8"/>""").Append('\n');
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Width / 2:0}" y="24" text-anchor="middle" """ +
            $"""font-size="17">{SvgText.Escape(labels.Title)}</text>""").Append('\n');
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Width / 2:0}" y="46" text-anchor="middle" """ +
            $"""fill="#444">{SvgText.Escape(labels.Subtitle)}</text>""").Append('\n');
        if (total == 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Width / 2:0}" y="{Top + 12:0}" text-anchor="middle">no {SvgText.Escape(labels.Unit)} """ +
                $"""on this side</text>""").Append('\n');
        }
        svg.Append(frames);
        var footer = $"{Count(total)} {labels.Unit} · frames under {MinWidth} px left out · hover a frame for its figures";
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Margin:0}" y="{height - 10:0}" fill="#666" """ +
            $"""font-size="11">{SvgText.Escape(footer)}</text>""").Append('\n');
        svg.Append("</svg>\n");
        return svg.ToString();

        int Draw(FlameNode node, int level, double x, double scale)
        {
            var width = node.Total(shape) * scale;
            var y = Top + level * FrameHeight;
            var colour = fill(node);
            frames.Append("<g><title>").Append(SvgText.Lines(tooltip(node))).Append("</title>");
            frames.Append(CultureInfo.InvariantCulture, $"""<rect x="{x:0.##}" y="{y:0.##}" width="{width:0.##}" height="{FrameHeight - 1:0}" rx="2" """ +
                $"""fill="{Rgb(colour)}" stroke="#ffffff" stroke-width="0.5"/>""");
            if (SvgText.Fit(node.Name, width - 6, CharWidth) is { } text)
            {
                // Dark red or blue under black text is unreadable: white on those.
                var ink = 0.299 * colour.Red + 0.587 * colour.Green + 0.114 * colour.Blue < 110 ? " fill=\"#ffffff\"" : "";
                frames.Append(CultureInfo.InvariantCulture, $"""<text x="{x + 3:0.##}" y="{y + 11.5:0.##}"{ink}>{SvgText.Escape(text)}</text>""");
            }
            frames.Append("</g>\n");
            var deepest = level;
            var offset = x;
            foreach (var child in node.Children)
            {
                var childWidth = child.Total(shape) * scale;
                if (childWidth >= MinWidth)
                {
                    deepest = Math.Max(deepest, Draw(child, level + 1, offset, scale));
                }
                offset += childWidth;
            }
            return deepest;
        }
    }

    private static IEnumerable<string> PlainTooltip(FlameNode root, FlameNode node, string unit)
    {
        yield return node.Name;
        yield return $"{Count(node.HeadTotal)} {unit} ({Percent(Share(node.HeadTotal, root.HeadTotal))}), " +
            $"self {Count(node.HeadSelf)} ({Percent(Share(node.HeadSelf, root.HeadTotal))})";
    }

    private static IEnumerable<string> DiffTooltip(FlameDiff diff, FlameNode node, string unit)
    {
        var change = diff.Change(node);
        yield return node.Name;
        yield return $"head: {Percent(change.HeadTotalShare)} of {unit} ({Count(node.HeadTotal)}), self {Percent(change.HeadSelfShare)}";
        yield return $"base: {Percent(change.BaseTotalShare)} of {unit} ({Count(node.BaseTotal)}), self {Percent(change.BaseSelfShare)}";
        yield return $"self share " +
            $"{(change.SelfShareChange >= 0 ? "+" : "")}{(change.SelfShareChange * 100).ToString("0.00", CultureInfo.InvariantCulture)} points"
            + (change.HeadOnly ? " (head only)" : change.BaseOnly ? " (base only)" : "");
    }

    /// <summary>flamegraph.pl's "hot" palette, chosen by a hash of the name so a frame keeps its colour between graphs.</summary>
    private static (int Red, int Green, int Blue) Warm(string name)
    {
        var hash = 2166136261u;
        foreach (var c in name)
        {
            hash = (hash ^ c) * 16777619u;
        }
        var v1 = (hash & 0xff) / 255.0;
        var v2 = ((hash >> 8) & 0xff) / 255.0;
        var v3 = ((hash >> 16) & 0xff) / 255.0;
        return ((int)(205 + 50 * v3), (int)(230 * v1), (int)(55 * v2));
    }

    private static string Rgb((int Red, int Green, int Blue) colour) =>
        string.Create(CultureInfo.InvariantCulture, $"rgb({colour.Red},{colour.Green},{colour.Blue})");

    private static double Share(long part, long total) => total > 0 ? (double)part / total : 0;

    private static string Percent(double share) => (share * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
