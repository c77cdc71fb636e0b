using Filare.Perf.Checkout;
using Filare.Perf.Git;
using Filare.Perf.Scenarios;

namespace Filare.Perf.Harness;

/// <summary>The head as its counted runs see it: its scenarios, variables and root, the worktree made for it (if any), and a note for the counts.</summary>
internal sealed record CountedHeadSide(Side Side, string Root, Worktree? Worktree, string? Note);

/// <summary>
/// In a same-runner A/B under a shared interpreter, the head's instructions are counted from a
/// worktree of the head commit made beside the base's, so both sides' runs have the same shape.
/// Counted in place, the two sides differ in sys.path: the interpreter's editable .pth adds the
/// head's src/ once more behind site-packages for the base (for the head it is the PYTHONPATH entry
/// already, and site drops the duplicate), and every import of a module from a later entry (pydeps,
/// dist-packages) searched that extra folder on the base only: 0.05–0.09% more instructions on real
/// Filare's demo01 in every A/A, whatever the paths' lengths. From two worktrees both sides carry
/// the same entries, in the same order, with paths of one length. A dirty head is counted in place
/// (its uncommitted changes are not in a worktree), and the note says so.
/// </summary>
internal static class CountedHead
{
    public static async Task<CountedHeadSide> OpenAsync(Side head, FilareCheckout filare, GitInfo? git, BaseSide? @base,
        IReadOnlyDictionary<string, string> environment, CancellationToken cancellation)
    {
        if (@base is null || @base.Python.Kind != CheckoutPython.Shared)
        {
            return new(head, filare.Root, null, null);
        }
        if (git is null || git.Dirty)
        {
            return new(head, filare.Root, null,
                "head counted in its own checkout (it has uncommitted changes): its sys.path differs from the base's by one folder, about 0.05% of the count");
        }
        Worktree? worktree = null;
        try
        {
            worktree = await Worktree.AddAsync(filare, git.Commit, (_, commit) => CheckoutPaths.Twin(@base.Worktree.Path, commit), cancellation)
                .ConfigureAwait(false);
            var checkout = new FilareCheckout(worktree.FilareRoot);
            var variables = new Dictionary<string, string>(environment, StringComparer.Ordinal);
            var source = Directory.Exists(Path.Combine(checkout.Root, "src")) ? Path.Combine(checkout.Root, "src") : checkout.Root;
            // As CheckoutEnvironment gives the base its source: first on PYTHONPATH.
            variables["PYTHONPATH"] = environment.GetValueOrDefault("PYTHONPATH") is { Length: > 0 } inherited
                ? source + Path.PathSeparator + inherited
                : source;
            var scenarios = head.Scenarios.Select(s => PreparedScenario.Prepare(s.Scenario, checkout, head.Python, variables)).ToList();
            var side = SideLaunches.Of("head", scenarios, checkout.Root, git.Commit, variables);
            var (imports, _) = await SideIdentity.ProbeAsync(side, head.Python.Executable, filare.Root, cancellation).ConfigureAwait(false);
            var own = new SideCode("head's own checkout", [], filare.Root, git.Commit, environment);
            if (SideIdentity.Mismatch(side, imports, own, head.Python.Executable) is { } problem)
            {
                await worktree.RemoveAsync(CancellationToken.None).ConfigureAwait(false);
                return new(head, filare.Root, null, $"head counted in its own checkout: a worktree of it would not import its own code ({problem})");
            }
            return new(head with { Scenarios = scenarios, Environment = variables }, checkout.Root, worktree,
                $"head counted from a worktree of {ShortSha.Of(git.Commit, ShortSha.InReport)} beside the base's, so both sides' sys.path and paths are alike");
        }
        catch (Exception e) when (e is FilareException or ScenarioException or IOException)
        {
            if (worktree is not null)
            {
                await worktree.RemoveAsync(CancellationToken.None).ConfigureAwait(false);
            }
            return new(head, filare.Root, null, $"head counted in its own checkout: no worktree of it could be made ({e.Message})");
        }
    }
}
