using Filare.Perf.Measurement;
using Filare.Perf.Profilers;
using Filare.Perf.Results;
using Filare.Perf.Scenarios;

namespace Filare.Perf.Harness;

/// <summary>
/// One profiler's target: one run per scenario and side under the profiler, after the clean runs.
/// A missing tool or a failed scenario is recorded as such; a profiler's surprise fails only its own run.
/// The runs go through the pool, in parallel up to its jobs, both sides of a scenario started together
/// so that they share what load there is; a profiler that <see cref="IProfiler.RunsAlone"/> runs one at a time.
/// </summary>
internal sealed class ProfilePass(SessionOptions options, SessionConsole console, MetricsStore store, RunnerPool pool)
{
    public async Task RunAsync(IProfiler profiler, IReadOnlyList<Side> sides, CancellationToken cancellation)
    {
        var tools = await ProbeAsync(profiler, sides, cancellation).ConfigureAwait(false);
        var head = sides[0];
        var profiling = new List<Task>();
        foreach (var (scenario, current) in head.WithResults(store.Current))
        {
            if (current is null or { Status: ScenarioStatus.Skipped } || scenario.SkipReason is not null)
            {
                continue;
            }
            var task = ProfileScenarioAsync(profiler, sides, tools, scenario, current, cancellation);
            if (profiler.RunsAlone)
            {
                await task.ConfigureAwait(false);
            }
            profiling.Add(task);
        }
        await Task.WhenAll(profiling).ConfigureAwait(false);
    }

    private async Task ProfileScenarioAsync(IProfiler profiler, IReadOnlyList<Side> sides, ToolProbe[] tools, PreparedScenario scenario, ScenarioResult current,
        CancellationToken cancellation)
    {
        if (profiler is IRepeatedProfiler repeated && sides.Count > 1)
        {
            await ProfileInTurnAsync(repeated, sides, tools, scenario, current, cancellation).ConfigureAwait(false);
            return;
        }
        var contexts = new ProfilingContext?[sides.Count];
        var runs = new Task<ProfilerRun>?[sides.Count];
        for (var i = 0; i < sides.Count; i++)
        {
            var side = sides[i];
            if (side.Measured(current) is not { } measured || side.Find(scenario).Scenario is not { } prepared)
            {
                continue;
            }
            var (index, tool) = (i, tools[i]);
            runs[i] = pool.RunAsync(runner =>
            {
                var context = Context(sides, index, prepared, tool, measured, runner);
                contexts[index] = context;
                return ProfileAsync(profiler, context, measured, cancellation);
            }, cancellation);
            if (profiler.RunsAlone)
            {
                await runs[i]!.ConfigureAwait(false);
            }
        }
        var results = new ProfilerRun?[sides.Count];
        for (var i = 0; i < sides.Count; i++)
        {
            results[i] = runs[i] is { } run ? await run.ConfigureAwait(false) : null;
        }
        Record(profiler, sides, contexts, results, current);
    }

    /// <summary>A repeated profiler's runs of the two sides taken in turn, on one runner (<see cref="IRepeatedProfiler"/>).</summary>
    private async Task ProfileInTurnAsync(IRepeatedProfiler profiler, IReadOnlyList<Side> sides, ToolProbe[] tools, PreparedScenario scenario,
        ScenarioResult current, CancellationToken cancellation)
    {
        var contexts = new ProfilingContext?[sides.Count];
        var results = await pool.RunAsync(runner =>
        {
            var measured = new SideResult?[sides.Count];
            for (var i = 0; i < sides.Count; i++)
            {
                if (sides[i].Measured(current) is { } side && sides[i].Find(scenario).Scenario is { } prepared)
                {
                    (measured[i], contexts[i]) = (side, Context(sides, i, prepared, tools[i], side, runner));
                }
            }
            return new InterleavedProfiling(console).RunAsync(profiler, contexts, measured, cancellation);
        }, cancellation).ConfigureAwait(false);
        Record(profiler, sides, contexts, results, current);
    }

    private ProfilingContext Context(IReadOnlyList<Side> sides, int index, PreparedScenario prepared, ToolProbe tool, SideResult measured, TreeRunner runner)
    {
        var side = sides[index];
        return new ProfilingContext(prepared, side.Python, tool, store.RunFolder, side.Folder(store.RunFolder, prepared.Name), store.Current.RunLabel,
            measured.Statistics?.WallSeconds.Median, runner, side.Environment, sides.Count > 1 ? side.Name : null);
    }

    /// <summary>Each side's run into the scenario's record, then the base-vs-head views when both sides ran.</summary>
    private void Record(IProfiler profiler, IReadOnlyList<Side> sides, ProfilingContext?[] contexts, ProfilerRun?[] results, ScenarioResult current)
    {
        for (var i = 0; i < sides.Count; i++)
        {
            if (results[i] is { } run)
            {
                current = sides[i].WithProfile(current, run);
            }
        }
        if (profiler is IDifferentialProfiler differential && contexts is [{ } headContext, not null])
        {
            current = WithViews(differential, headContext, current);
        }
        store.Update(current);
    }

    /// <summary>The head's run with the base-vs-head views added; a view that cannot be drawn costs only itself.</summary>
    private ScenarioResult WithViews(IDifferentialProfiler differential, ProfilingContext head, ScenarioResult current)
    {
        var tool = ((IProfiler)differential).Tool;
        if (current.Profilers.FirstOrDefault(p => p.Tool == tool) is not { } run
            || current.Base?.Profilers.FirstOrDefault(p => p.Tool == tool) is not { } baseRun)
        {
            return current;
        }
        try
        {
            var views = differential.Compare(head, run, baseRun, ScenarioStatistics.Floor(current.Statistics, current.Base?.Statistics));
            return views.Count == 0
                ? current
                : current with { Profilers = [.. current.Profilers.Where(p => p.Tool != tool), run with { Artifacts = [.. run.Artifacts, .. views] }] };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            console.Warning($"{current.Name}: no differential view for {tool}: {e.Message}");
            return current with { Profilers = [.. current.Profilers.Where(p => p.Tool != tool),
                run with { Notes = [.. run.Notes, $"no differential view: {e.Message}"] }] };
        }
    }

    /// <summary>Each side's answer; a side on an interpreter already probed reuses that answer.</summary>
    private async Task<ToolProbe[]> ProbeAsync(IProfiler profiler, IReadOnlyList<Side> sides, CancellationToken cancellation)
    {
        var tools = new ToolProbe[sides.Count];
        for (var i = 0; i < sides.Count; i++)
        {
            var shared = Enumerable.Range(0, i).FirstOrDefault(j => sides[j].SharesInterpreterWith(sides[i]), -1);
            if (shared >= 0)
            {
                tools[i] = tools[shared];
                continue;
            }
            tools[i] = await profiler.ProbeAsync(sides[i].Python, options.Environment, cancellation).ConfigureAwait(false);
            console.Probed(profiler, tools[i], sides[i].Kind);
        }
        return tools;
    }

    private async Task<ProfilerRun> ProfileAsync(IProfiler profiler, ProfilingContext context, SideResult measured, CancellationToken cancellation)
    {
        if (ProfiledRun.Skip(profiler, context, measured) is { } skipped)
        {
            return skipped;
        }
        var name = ProfiledRun.Name(context);
        console.Profiling(name, profiler);
        var run = await ProfiledRun.GuardAsync(profiler, context, () => profiler.ProfileAsync(context, cancellation)).ConfigureAwait(false);
        console.Profiled(name, profiler, run);
        return run;
    }
}
