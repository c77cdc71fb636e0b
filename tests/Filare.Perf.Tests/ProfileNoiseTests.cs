using System.Xml.Linq;
using Filare.Perf.Analysis;
using Filare.Perf.Comparison;
using Filare.Perf.Flamegraphs;
using Filare.Perf.Reporting;
using Filare.Perf.Results;

namespace Filare.Perf.Tests;

/// <summary>
/// Nothing noisy shown as a change in the profile tables and the py-spy differential colours: an
/// A/A-like pair of profiles (the same program, with a runner's jitter on each side) shows no
/// function and no coloured frame; a real change beyond the floor still shows, and is coloured.
/// </summary>
public sealed partial class ReportMarkdownTests
{
    /// <summary>Two hundred functions from 0.1 ms to ~200 ms of own time, the same on both sides but for jitter and <paramref name="change"/>.</summary>
    private static List<PstatsEntry> Profile(int seed, double jitter, (string Function, double Seconds)? change = null)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, 200).Select(i =>
        {
            var seconds = 0.0001 * Math.Pow(1.04, i) * (1 + jitter * Gaussian(random));
            var function = $"f{i}";
            return new PstatsEntry($"/x/site-packages/filare/m{i % 7}.py", i, function, 10 + i, change?.Function == function ? change.Value.Seconds : seconds);
        })];
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>Clean runs of 1 s with a runner's ±3% jitter on each side.</summary>
    private static double[] Jittered(int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, 10).Select(_ => Math.Round(1 + 0.03 * Gaussian(random), 4))];
    }

    private static string HotspotReport(HotspotDiff diff)
    {
        var current = CompareMetrics("pr-7", AB(), Compared("demo01", Jittered(1), Jittered(2)));
        return ReportMarkdown.Render(new ReportInput(Analysed(current, sideHotspots: [diff]), new ReportLinks(null, new Dictionary<string, string>())));
    }

    [Fact]
    public void An_a_a_like_pair_of_cprofile_captures_shows_no_function_as_changed_and_states_the_floor_once()
    {
        // 3% jitter on every function: the largest (~0.2 s) moves by several ms, a tiny one by a fraction of one.
        var diff = Hotspots.Compare("demo01", Profile(10, 0.03), Profile(11, 0.03));
        Assert.NotEmpty(diff.Grew);

        var markdown = HotspotReport(diff);

        Assert.Contains("demo01: no function changed beyond noise from base to head (cProfile, own time; floor ±", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("Where the time moved in demo01", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("| Function (file) |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void A_function_that_grew_beyond_the_floor_is_the_one_row_of_an_otherwise_a_a_like_capture()
    {
        // f150 is ~36 ms; the head spends 90 ms in it: beyond a few % of its time and beyond 5 ms.
        var diff = Hotspots.Compare("demo01", Profile(10, 0.03), Profile(11, 0.03, ("f150", 0.090)));

        var markdown = HotspotReport(diff);

        Assert.Contains("Where the time moved in demo01 from base to head (cProfile, own time; beyond noise: ±", markdown, StringComparison.Ordinal);
        var rows = markdown.Split('\n').Where(l => l.StartsWith("| f", StringComparison.Ordinal)).ToList();
        Assert.StartsWith("| f150 (filare/m3.py) |", Assert.Single(rows), StringComparison.Ordinal);
    }

    [Fact]
    public void The_floor_is_the_wider_sides_wall_time_spread_on_the_functions_figure_with_an_absolute_minimum()
    {
        var floor = ScenarioStatistics.Floor(Stats(1.00, 1.01, 0.99, 1.00), Stats(0.9, 0.95, 1.0, 1.05, 1.1));

        // The head's IQR is 0.1 s of 1 s: 3 × IQR / median = 30%.
        Assert.Equal(0.3, floor.Relative, 6);
        Assert.True(floor.Measured);
        Assert.False(floor.BeyondSeconds(1.0, 1.25));
        Assert.True(floor.BeyondSeconds(1.0, 1.5));
        // Tiny functions: 5 ms whatever the share.
        Assert.False(floor.BeyondSeconds(0.001, 0.005));
        Assert.True(floor.BeyondSeconds(0.001, 0.0071));
        // No side with two clean runs: 10% assumed, and said so.
        var assumed = ScenarioStatistics.Floor(Stats(1.0), null);
        Assert.Equal((ChangeFloor.AssumedRelative, false), (assumed.Relative, assumed.Measured));
        Assert.Contains("assumed", assumed.SecondsText, StringComparison.Ordinal);
    }

    private static ScenarioStatistics Stats(params double[] walls) => ScenarioStatistics.Of([.. walls.Select((w, i) => Sample(i + 1, w))])!;

    /// <summary>py-spy's samples of one program: N draws over the same frames (sampling is the jitter), plus what <paramref name="extra"/> adds.</summary>
    private static CollapsedStacks Samples(int seed, int count, string? extra = null, int extraSamples = 0)
    {
        // Forty frames from rare (a sample or two in 3,000) to common, and one rarer still.
        var frames = Enumerable.Range(0, 40).Select(i => (Stack: $"main;run;step{i % 5};f{i}", Weight: Math.Pow(1.12, i)))
            .Append((Stack: "main;rare", Weight: 0.3)).ToList();
        var total = frames.Sum(f => f.Weight);
        var random = new Random(seed);
        var counts = new Dictionary<string, int>();
        for (var n = 0; n < count; n++)
        {
            var pick = random.NextDouble() * total;
            var frame = frames.First(f => (pick -= f.Weight) <= 0 || f == frames[^1]);
            counts[frame.Stack] = counts.GetValueOrDefault(frame.Stack) + 1;
        }
        var lines = counts.Select(c => $"{c.Key} {c.Value}").ToList();
        if (extra is not null)
        {
            lines.Add($"{extra} {extraSamples}");
        }
        return CollapsedStacks.Parse(string.Join('\n', lines));
    }

    private static readonly XNamespace s_svg = "http://www.w3.org/2000/svg";

    private static List<string> ChangeColours(FlameDiff diff) =>
    [
        .. new[] { FlameSide.Head, FlameSide.Base }
            .SelectMany(side => XDocument.Parse(FlameSvg.Differential(diff, side, new FlameGraphLabels("t", "s", "samples"))).Descendants(s_svg + "rect"))
            .Select(r => r.Attribute("fill")?.Value ?? "")
            .Where(fill => fill.StartsWith("rgb(", StringComparison.Ordinal) && fill is not "rgb(221,221,221)" and not "rgb(255,255,255)"),
    ];

    [Fact]
    public void An_a_a_like_pair_of_py_spy_samples_draws_no_red_or_blue_frame_and_lists_nothing_as_grown()
    {
        // 3,000 samples a side drawn from the same program: shares differ by chance alone (a rare frame is even missing on one side).
        var (before, after) = (Samples(1, 3000), Samples(2, 3000));
        var floor = ChangeFloor.Of(0.06, 0.04);
        Assert.Contains(FlameDiff.Of(before, after).Frames, f => f.HeadOnly || f.BaseOnly);
        Assert.NotEmpty(FlameDiff.Of(before, after).Grew(10));
        Assert.NotEmpty(ChangeColours(FlameDiff.Of(before, after)));

        Assert.Empty(ChangeColours(FlameDiff.Sampled(before, after, floor.BeyondShares)));
        var growth = HotspotNoise.Growth(before, after, floor);
        Assert.Empty(growth.Grew);
        var text = new System.Text.StringBuilder();
        WhereTimeWent.AppendSampleGrowth(text, "demo01", growth);
        Assert.Contains("demo01: no frame's self share of py-spy's samples grew beyond noise from base to head (floor ±6% of a frame's share",
            text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Py_spy_work_beyond_the_floor_is_red_listed_as_grown_and_the_rest_stays_grey()
    {
        // The head adds 400 samples of new work (a fixed amount of pure Python), on top of the same program.
        var (before, after) = (Samples(1, 3000), Samples(2, 3000, "main;run;added", 400));
        var floor = ChangeFloor.Of(0.06, 0.04);

        var diff = FlameDiff.Sampled(before, after, floor.BeyondShares);

        var added = diff.Root.Descendants().Single(n => n.Name == "added");
        Assert.Equal((255, 0, 0), diff.Colour(added));
        Assert.Equal("added", Assert.Single(HotspotNoise.Growth(before, after, floor).Grew).Frame);
        // The rest shrank in share by ~12% uniformly: a few frames may pass, but most are grey.
        Assert.True(diff.Root.Descendants().Count(n => diff.Colour(n) == FlameDiff.Neutral) > 30);
    }

    [Fact]
    public void Per_process_instructions_within_the_threshold_read_same_and_a_process_beyond_it_its_change()
    {
        // python +0.1% (within the 1% threshold, as two runs of identical code may differ), dot +10%.
        var analysis = Analysed(CompareMetrics("pr-7", AB(), Compared("demo01", s_baseWalls, Shifted(1.0)) with
        {
            Instructions = Counted(1_001_000_000, 55_000_000),
            Base = Compared("demo01", s_baseWalls, s_baseWalls).Base! with { Instructions = Counted(1_000_000_000, 50_000_000) },
        }));

        var markdown = ReportMarkdown.Render(new ReportInput(analysis, new ReportLinks(null, new Dictionary<string, string>())));

        Assert.Contains("| python same, dot +10% |", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("python +0.1%", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Hotspots_since_the_baseline_take_their_floor_from_the_baseline_runs_and_this_runs()
    {
        // The baseline's runs spread 1.0 ± 0.2 s (3 × IQR / median = 60%), this run's barely: the wider side sets the floor.
        var baseline = Metrics("nightly", "1111111111aaaa", Scenario("demo01", [0.8, 0.9, 1.0, 1.1, 1.2]));
        var current = Metrics("pr-7", "2222222222bbbb", Scenario("demo01", [1.00, 1.01, 0.99, 1.00, 1.00]));
        var diff = new HotspotDiff("demo01",
            [new HotspotChange("filare/render.py", "layout", 0.5, 0.7, 0.2, 10, 10), new HotspotChange("filare/bom.py", "rows", 0.1, 0.3, 0.2, 5, 5)], []);
        var input = new AnalysisInput(current, new ComparisonSettings(), new BaselineRun(baseline, "nightly"), BaselineHotspots: [diff]);

        var found = RunAnalysis.Of(input).For("demo01");

        Assert.Equal(0.6, found.BaselineHotspots!.Floor!.Relative, 6);
        // layout +0.2 s of 0.7 s is within 60%; rows 0.1 → 0.3 s is beyond it.
        Assert.Equal(["rows"], found.BaselineHotspots.Grew.Select(r => r.Function));
    }
}
