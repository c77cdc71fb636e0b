namespace Filare.Perf.Engine;

/// <summary>
/// A target is declared as a property returning this delegate, as in NUKE:
/// <c>Target Measure => _ => _.DependsOn(Prepare).Executes(...)</c>.
/// </summary>
public delegate ITargetDefinition Target(ITargetDefinition definition);

public interface ITargetDefinition
{
    ITargetDefinition Description(string text);
    ITargetDefinition DependsOn(params Target[] targets);
    /// <summary>Orders this target after the others when both run, without pulling them in.</summary>
    ITargetDefinition After(params Target[] targets);
    /// <summary>Evaluated just before the target would run; false skips it with the reason.</summary>
    ITargetDefinition OnlyWhen(Func<bool> condition, string reason);
    /// <summary>Runs even when an earlier target failed (reports, cleanup).</summary>
    ITargetDefinition AssuredAfterFailure();
    /// <summary>When this target fails the build still fails, but the targets after it run (best-effort set-up).</summary>
    ITargetDefinition ProceedAfterFailure();
    ITargetDefinition Executes(Action action);
    ITargetDefinition Executes(Func<CancellationToken, Task> action);
}

internal sealed class TargetDefinition : ITargetDefinition
{
    public string? Text { get; private set; }
    public List<Target> Dependencies { get; } = [];
    public List<Target> Predecessors { get; } = [];
    public List<(Func<bool> Condition, string Reason)> Conditions { get; } = [];
    public bool Assured { get; private set; }
    public bool Proceed { get; private set; }
    public List<Func<CancellationToken, Task>> Actions { get; } = [];

    public ITargetDefinition Description(string text)
    {
        Text = text;
        return this;
    }

    public ITargetDefinition DependsOn(params Target[] targets)
    {
        Dependencies.AddRange(targets);
        return this;
    }

    public ITargetDefinition After(params Target[] targets)
    {
        Predecessors.AddRange(targets);
        return this;
    }

    public ITargetDefinition OnlyWhen(Func<bool> condition, string reason)
    {
        Conditions.Add((condition, reason));
        return this;
    }

    public ITargetDefinition AssuredAfterFailure()
    {
        Assured = true;
        return this;
    }

    public ITargetDefinition ProceedAfterFailure()
    {
        Proceed = true;
        return this;
    }

    public ITargetDefinition Executes(Action action)
    {
        Actions.Add(_ =>
        {
            action();
            return Task.CompletedTask;
        });
        return this;
    }

    public ITargetDefinition Executes(Func<CancellationToken, Task> action)
    {
        Actions.Add(action);
        return this;
    }
}

/// <summary>A target after its declaration has been read: name, edges and work.</summary>
public sealed record TargetInfo(
    string Name,
    string? Description,
    IReadOnlyList<string> Dependencies,
    IReadOnlyList<string> Predecessors,
    IReadOnlyList<(Func<bool> Condition, string Reason)> Conditions,
    bool Assured,
    IReadOnlyList<Func<CancellationToken, Task>> Actions,
    bool Proceed = false);
