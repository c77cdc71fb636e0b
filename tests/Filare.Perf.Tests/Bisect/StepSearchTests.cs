using Filare.Perf.Bisect;
using Filare.Perf.Checkout;

namespace Filare.Perf.Tests.Bisect;

/// <summary>The search over synthetic series: every step found, skips, drift, and the stated bound on measurements.</summary>
public sealed class StepSearchTests
{
    private static async Task<(SearchResult Result, List<string> Asked)> SearchAsync(double[] values, ISet<int>? failing = null, double threshold = 0.01)
    {
        var commits = Enumerable.Range(0, values.Length).Select(i => $"c{i:00}").ToList();
        var asked = new List<string>();
        var cache = new Dictionary<string, CommitMeasurement>();
        var search = new StepSearch(threshold, (commit, _) =>
        {
            lock (cache)
            {
                if (!cache.TryGetValue(commit, out var known))
                {
                    asked.Add(commit);
                    var index = commits.IndexOf(commit);
                    known = failing?.Contains(index) == true
                        ? CommitMeasurement.Skip(commit, "fails", asked.Count)
                        : new CommitMeasurement(commit, CommitStatus.Measured, new Dictionary<string, double> { ["s"] = values[index] }, null, asked.Count, 1,
                            0);
                    cache[commit] = known;
                }
                return Task.FromResult(known);
            }
        });
        return (await search.SearchAsync(commits, TestContext.Current.CancellationToken), asked);
    }

    [Fact]
    public async Task A_slowdown_and_a_later_partial_fix_are_both_found_with_their_sizes_within_the_bound()
    {
        double[] values = [100, 100, 100, 150, 150, 150, 150, 150, 150, 150, 120, 120, 120, 120, 120, 120, 120];

        var (result, asked) = await SearchAsync(values);

        Assert.Equal(["c03", "c10"], result.Steps.Select(s => s.After));
        Assert.Equal(0.5, result.Steps[0].Change["s"], 6);
        Assert.Equal(-0.2, result.Steps[1].Change["s"], 6);
        Assert.True(asked.Count <= StepSearch.Bound(values.Length, 2), $"{asked.Count} measurements");
        Assert.True(asked.Count < values.Length, "a search that measures every commit is no bisection");
    }

    [Fact]
    public async Task A_slowdown_undone_later_is_found_when_the_middle_falls_between_although_the_ends_are_equal()
    {
        double[] values = [100, 100, 100, 100, 130, 130, 130, 130, 130, 130, 130, 130, 100, 100, 100, 100];

        var (result, _) = await SearchAsync(values);

        Assert.Equal(["c04", "c12"], result.Steps.Select(s => s.After));
    }

    [Fact]
    public async Task A_culprit_beside_a_commit_that_cannot_be_measured_is_a_range_naming_the_skipped_commit()
    {
        double[] values = [100, 100, 100, 100, 100, 100, 100, 100, 140, 140];

        var (result, asked) = await SearchAsync(values, failing: new HashSet<int> { 7 });

        var step = Assert.Single(result.Steps);
        Assert.Equal(("c06", "c08", "c07"), (step.Before, step.After, string.Join(",", step.Skipped)));
        Assert.True(step.IsRange);
        Assert.Contains("c07", asked);
    }

    [Fact]
    public async Task Many_small_changes_that_add_up_are_a_drift_not_a_culprit()
    {
        double[] values = [.. Enumerable.Range(0, 12).Select(i => 100 * Math.Pow(1.005, i))];

        var (result, _) = await SearchAsync(values);

        Assert.Empty(result.Steps);
        Assert.NotEmpty(result.Drifts);
    }

    [Fact]
    public async Task A_flat_range_costs_the_ends_and_one_look_in_the_middle()
    {
        var (result, asked) = await SearchAsync([.. Enumerable.Repeat(100.0, 33)]);

        Assert.Empty(result.Steps);
        Assert.Equal(3, asked.Count);
    }

    [Fact]
    public void Bisected_commits_all_get_paths_of_one_length()
    {
        var paths = new[] { "0123456789abcdef0123456789abcdef01234567", "fedcba9876543210fedcba9876543210fedcba98" }.Select(c =>
            CheckoutPaths.FixedWidth("/b/.nuke/temp/bisect", c)).ToList();

        Assert.Equal(paths[0].Length, paths[1].Length);
        Assert.NotEqual(paths[0], paths[1]);
        var twin = CheckoutPaths.Twin(paths[0], "0123456789abcdef0123456789abcdef01234567");
        Assert.Equal((paths[0].Length, CheckoutPaths.Depth(paths[0])), (twin.Length, CheckoutPaths.Depth(twin)));
        Assert.NotEqual(paths[0], twin);
    }
}
