using Filare.Perf.History;
using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests.History;

public sealed class HistoryFileTests
{
    [Fact]
    public void A_record_survives_a_round_trip_through_its_line()
    {
        var record = HistoryData.Record("master", "demo01", 3, 1.25, noise: 0.02);

        var content = HistoryFile.Parse(HistoryFile.Line(record) + "\n", "h.jsonl");

        Assert.Empty(content.Warnings);
        var read = Assert.Single(content.Records);
        Assert.Equal(record.Key, read.Key);
        Assert.Equal(1.25, read.WallSeconds!.Median);
        Assert.Equal(0.02, read.NoiseFloor!.WallSeconds);
        Assert.DoesNotContain("\"key\"", HistoryFile.Line(record), StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_line_is_skipped_with_a_warning_naming_the_file_and_line()
    {
        var good = HistoryFile.Line(HistoryData.Record("master", "demo01", 1, 1.0));
        var other = HistoryFile.Line(HistoryData.Record("master", "demo01", 2, 1.1));
        var text = $"{good}\n{{\"schema\": \"filare-perf/hist\n{other}\n[1, 2]\n{{\"schema\":\"filare-perf/history\",\"schemaVersion\":1}}\n";

        var content = HistoryFile.Parse(text, "master/history.jsonl");

        Assert.Equal([HistoryData.Sha(1), HistoryData.Sha(2)], content.Records.Select(r => r.Commit));
        Assert.Equal(3, content.Warnings.Count);
        Assert.StartsWith("master/history.jsonl: line 2 skipped: not JSON", content.Warnings[0], StringComparison.Ordinal);
        Assert.StartsWith("master/history.jsonl: line 4 skipped", content.Warnings[1], StringComparison.Ordinal);
        Assert.StartsWith("master/history.jsonl: line 5 skipped: no branch", content.Warnings[2], StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_of_an_unknown_schema_version_is_refused_with_its_version()
    {
        var text = HistoryFile.Line(HistoryData.Record("beta", "demo01", 1, 1.0)) + "\n" +
            HistoryFile.Line(HistoryData.Record("beta", "demo01", 2, 1.0) with { SchemaVersion = 7 }) + "\n";

        var refused = Assert.Throws<HistoryFormatException>(() => HistoryFile.Parse(text, "beta/history.jsonl"));

        Assert.Contains("beta/history.jsonl: line 2", refused.Message, StringComparison.Ordinal);
        Assert.Contains("schema version 7", refused.Message, StringComparison.Ordinal);
        Assert.Contains("reads version 1", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Appending_keeps_unreadable_lines_and_adds_nothing_twice()
    {
        var first = HistoryData.Record("master", "demo01", 1, 1.0);
        var existing = HistoryFile.Line(first) + "\nnot json";

        var (text, added) = HistoryFile.Append(existing, [first, HistoryData.Record("master", "demo01", 2, 1.1)], "f");

        Assert.Equal(1, added);
        Assert.Contains("\nnot json\n", text, StringComparison.Ordinal);
        Assert.Equal(2, HistoryFile.Parse(text, "f").Records.Count);
        Assert.Equal(0, HistoryFile.Append(text, [first], "f").Added);
    }

    [Theory]
    [InlineData(5, 0, 4)]
    [InlineData(6, 0, 5)]
    [InlineData(9, 1, 7)]
    [InlineData(20, 5, 14)]
    public void The_median_interval_takes_the_order_statistics_that_cover_it_with_95_percent(int n, int low, int high) =>
        Assert.Equal((low, high), HistoryMetrics.MedianInterval(n));
}
