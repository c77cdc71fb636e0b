using System.Xml.Linq;
using Filare.Perf.Flamegraphs;

namespace Filare.Perf.Tests;

/// <summary>Collapsed stacks, the differential (difffolded -n) arithmetic and our SVG renderer.</summary>
public sealed class FlamegraphTests
{
    // Base: 100 samples; head: 200. main;work's self share goes 40% -> 65%, main;parse 50% -> 20%,
    // main;old only in the base (10%), main;new only in the head (15%).
    private const string Base = "main;work 40\nmain;parse 50\nmain;old 10\n";
    private const string Head = "main;work 130\nmain;parse 40\nmain;new 30\n";

    private static XNamespace Svg => "http://www.w3.org/2000/svg";

    /// <summary>Frame name (the rectangle's text or tooltip's first line) to its fill.</summary>
    private static Dictionary<string, string> Fills(string svg)
    {
        var document = XDocument.Parse(svg);
        return document.Descendants(Svg + "g").ToDictionary(
            g => g.Element(Svg + "title")!.Value.Split('\n')[0],
            g => g.Element(Svg + "rect")!.Attribute("fill")!.Value);
    }

    [Fact]
    public void Collapsed_stacks_sum_repeated_stacks_keep_spaces_in_names_and_skip_malformed_lines()
    {
        var stacks = CollapsedStacks.Parse("<module> (a.py:3);run (a.py:9) 5\n<module> (a.py:3);run (a.py:9) 2\r\nno count here\n;x\n  \nmain 7\ncut off 1");

        Assert.Equal(7, stacks.Counts["<module> (a.py:3);run (a.py:9)"]);
        Assert.Equal(7, stacks.Counts["main"]);
        Assert.Equal(1, stacks.Counts["cut off"]);
        Assert.Equal(2, stacks.Malformed);
        Assert.Equal(15, stacks.Total);
        Assert.Equal("<module> (a.py:3);run (a.py:9) 7\ncut off 1\nmain 7\n", stacks.Write());
    }

    [Fact]
    public void Without_line_numbers_folds_moved_code_into_one_frame()
    {
        var stacks = CollapsedStacks.Parse("<module> (a.py:3);run (a.py:9) 5\n<module> (a.py:4);run (a.py:12) 2\nnative 1\n").WithoutLineNumbers();

        Assert.Equal(new Dictionary<string, long> { ["<module> (a.py);run (a.py)"] = 7, ["native"] = 1 }, stacks.Counts);
    }

    [Fact]
    public void The_diff_normalises_each_side_to_its_own_total_and_ranks_what_grew()
    {
        var diff = FlameDiff.Of(CollapsedStacks.Parse(Base), CollapsedStacks.Parse(Head));

        var work = diff.Frames.Single(f => f.Frame == "work");
        Assert.Equal((0.4, 0.65), (work.BaseSelfShare, work.HeadSelfShare));
        Assert.Equal(0.25, work.SelfShareChange, 9);
        var parse = diff.Frames.Single(f => f.Frame == "parse");
        Assert.Equal(-0.3, parse.SelfShareChange, 9);
        Assert.True(diff.Frames.Single(f => f.Frame == "old").BaseOnly);
        Assert.True(diff.Frames.Single(f => f.Frame == "new").HeadOnly);
        // main has no self samples on either side: it is the frames under it that changed.
        Assert.Equal(0, diff.Frames.Single(f => f.Frame == "main").SelfShareChange);
        Assert.Equal(0.3, diff.MaxChange, 9);
        Assert.Equal(["work", "new"], diff.Grew(10).Select(f => f.Frame));
        Assert.Equal(["main", "work"], diff.Grew(1).Single().Path);
    }

    [Fact]
    public void Colours_are_red_for_grew_blue_for_shrank_white_for_unchanged_scaled_by_the_largest_change()
    {
        var diff = FlameDiff.Of(CollapsedStacks.Parse(Base), CollapsedStacks.Parse(Head));
        FlameNode Node(string name) => diff.Root.Descendants().Single(n => n.Name == name);

        // parse shrank most (-30 points): full blue. work grew 25 of 30: red, green and blue at 210 * 5/30 = 35.
        Assert.Equal((0, 0, 255), diff.Colour(Node("parse")));
        Assert.Equal((255, 35, 35), diff.Colour(Node("work")));
        Assert.Equal((255, 255, 255), diff.Colour(Node("main")));
        // new: +15 points, paler red (210 * 15/30 = 105); old: -10 points, light blue (210 * 20/30 = 140).
        Assert.Equal((255, 105, 105), diff.Colour(Node("new")));
        Assert.Equal((140, 140, 255), diff.Colour(Node("old")));
    }

    [Fact]
    public void A_frame_within_noise_is_grey_new_and_vanished_keep_their_colour_and_the_scale_comes_from_the_rest()
    {
        // As the import views test it: only "parse" passed the noise test; "work" grew in share but not beyond its runs' spread.
        var diff = FlameDiff.Of(CollapsedStacks.Parse(Base), CollapsedStacks.Parse(Head), f => f.Frame == "parse");
        FlameNode Node(string name) => diff.Root.Descendants().Single(n => n.Name == name);

        Assert.Equal(FlameDiff.Neutral, diff.Colour(Node("work")));
        Assert.Equal(FlameDiff.Neutral, diff.Colour(Node("main")));
        Assert.Equal((0, 0, 255), diff.Colour(Node("parse")));
        Assert.Equal((255, 105, 105), diff.Colour(Node("new")));
        // The whole graph renders (its root is no frame and is never tested).
        var view = Fills(FlameSvg.Differential(diff, FlameSide.Head, new FlameGraphLabels("t", "s", "µs")));
        Assert.Equal("rgb(221,221,221)", view["work"]);
    }

    [Fact]
    public void Frames_of_one_side_only_are_drawn_in_that_sides_view_with_both_shares_in_the_tooltip()
    {
        var diff = FlameDiff.Of(CollapsedStacks.Parse(Base), CollapsedStacks.Parse(Head));
        var labels = new FlameGraphLabels("t", "s", "samples");

        var headView = Fills(FlameSvg.Differential(diff, FlameSide.Head, labels));
        var baseView = Fills(FlameSvg.Differential(diff, FlameSide.Base, labels));

        Assert.Contains("new", headView.Keys);
        Assert.DoesNotContain("old", headView.Keys);
        Assert.Contains("old", baseView.Keys);
        Assert.DoesNotContain("new", baseView.Keys);
        Assert.Equal("rgb(255,35,35)", headView["work"]);
        Assert.Equal("rgb(140,140,255)", baseView["old"]);
        var tooltip = XDocument.Parse(FlameSvg.Differential(diff, FlameSide.Head, labels))
            .Descendants(Svg + "title").Select(t => t.Value).Single(t => t.StartsWith("work\n", StringComparison.Ordinal));
        Assert.Contains("head: 65.00% of samples (130), self 65.00%", tooltip);
        Assert.Contains("base: 40.00% of samples (40), self 40.00%", tooltip);
        Assert.Contains("self share +25.00 points", tooltip);
    }

    [Fact]
    public void Widths_follow_the_views_own_shape()
    {
        var diff = FlameDiff.Of(CollapsedStacks.Parse(Base), CollapsedStacks.Parse(Head));
        double Width(string svg, string frame) => double.Parse(
            XDocument.Parse(svg).Descendants(Svg + "g").Single(g => g.Element(Svg + "title")!.Value.StartsWith(frame + "\n", StringComparison.Ordinal))
                .Element(Svg + "rect")!.Attribute("width")!.Value, System.Globalization.CultureInfo.InvariantCulture);
        var labels = new FlameGraphLabels("t", "s", "samples");
        var head = FlameSvg.Differential(diff, FlameSide.Head, labels);
        var @base = FlameSvg.Differential(diff, FlameSide.Base, labels);

        // 1180 px for all samples: work is 65% of the head's and 40% of the base's.
        Assert.Equal(767, Width(head, "work"), 1);
        Assert.Equal(472, Width(@base, "work"), 1);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("a & b \"quoted\" 'single'")]
    [InlineData("bell\u0007 nul\0 esc\u001b del\u007f")]
    [InlineData("rtl\u202eexe.py lone\ud800 end\uffff")]
    public void Hostile_frame_names_are_escaped_and_the_svg_parses_as_xml(string name)
    {
        var stacks = CollapsedStacks.From([KeyValuePair.Create($"main;{name}", 5L), KeyValuePair.Create("main;ok", 5L)]);
        var other = CollapsedStacks.From([KeyValuePair.Create("main;ok", 5L)]);

        foreach (var svg in new[]
        {
            FlameSvg.Plain(FlameTree.Of(stacks), new(name, name, "samples")),
            FlameSvg.Differential(FlameDiff.Of(other, stacks), FlameSide.Head, new(name, name, "samples")),
        })
        {
            var document = XDocument.Parse(svg);
            Assert.DoesNotContain(document.Descendants(), e => e.Name.LocalName is "script" or "foreignObject" or "a" or "image");
            Assert.DoesNotContain("<script", svg, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(document.Descendants().Attributes(), a =>
                a.Name.LocalName.StartsWith("on", StringComparison.Ordinal) || a.Name.LocalName == "href");
            // Every character that reached the document is one XML allows and a reader cannot be fooled by.
            Assert.DoesNotContain(document.Descendants().SelectMany(e => e.Nodes().OfType<XText>()).SelectMany(t => t.Value),
                c => (c < 0x20 && c != '\n') || c is >= '\u007f' and <= '\u009f' || c == '\u202e' || char.IsSurrogate(c) || c == '\uffff');
            var titles = document.Descendants(Svg + "title").Select(t => t.Value.Split('\n')[0]).ToList();
            Assert.Contains(SvgText.Escape(name).Replace("&lt;", "<").Replace("&gt;", ">").Replace("&amp;", "&").Replace("&quot;", "\"").Replace("&#39;", "'"),
                titles);
        }
    }

    [Fact]
    public void Speedscope_profiles_become_collapsed_stacks_named_as_raw_names_them()
    {
        const string json = """
            {"$schema":"https://www.speedscope.app/file-format-schema.json",
             "shared":{"frames":[{"name":"<module>","file":"/x/app.py","line":3,"col":null},
               {"name":"run","file":"/x/app.py","line":9,"col":null},{"name":"idle","file":"","line":0}]},
             "profiles":[{"type":"sampled","samples":[[0,1],[0,1],[0]],"weights":[0.01,0.01,0.01]},{"type":"sampled","samples":[[2]],"weights":[0.01]}]}
            """;

        var stacks = Speedscope.ToCollapsed(json, out var problem);

        Assert.Null(problem);
        Assert.Equal(new Dictionary<string, long> { ["<module> (app.py:3);run (app.py:9)"] = 2, ["<module> (app.py:3)"] = 1, ["idle"] = 1 }, stacks!.Counts);
        Assert.Null(Speedscope.ToCollapsed("{\"profiles\": 3", out problem));
        Assert.NotNull(problem);
    }

    [Fact]
    public void Frames_too_narrow_to_see_are_left_out_and_an_empty_side_says_so()
    {
        var stacks = CollapsedStacks.From([KeyValuePair.Create("main;big", 1_000_000L), KeyValuePair.Create("main;tiny", 1L)]);

        var svg = FlameSvg.Plain(FlameTree.Of(stacks), new("t", "s", "samples"));
        var empty = FlameSvg.Plain(FlameTree.Of(CollapsedStacks.Empty), new("t", "s", "samples"));

        Assert.Contains("big", Fills(svg).Keys);
        Assert.DoesNotContain("tiny", Fills(svg).Keys);
        Assert.Contains("no samples on this side", XDocument.Parse(empty).Root!.Value);
    }
}
