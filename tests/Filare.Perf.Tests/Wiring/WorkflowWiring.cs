using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Filare.Perf.Tests.Wiring;

/// <summary>
/// A static cross-reference check of generated workflows: what one job reads from another must be
/// there. Every <c>needs.X.outputs.Y</c> names a job the reader needs and an output it declares; every
/// artifact a job downloads is uploaded under a matching name (expressions replaced by sample values,
/// shard and target suffixes included); every <c>FIL_PERF_*</c> an <c>env:</c> sets is a parameter or an
/// alias; every <c>matrix.K.F</c> names a key of the job's matrix and a field its JSON source has.
/// </summary>
public sealed partial class WorkflowWiring
{
    /// <param name="KnownVariables">FIL_PERF_* names of parameters and their aliases.</param>
    /// <param name="Samples">A value per expression (<c>matrix.shard.suffix</c> → several sample values) for artifact names.</param>
    /// <param name="OutputSamples">A sample of a job output's JSON by output name (<c>shards</c>), for matrix fields.</param>
    public sealed record Knowledge(
        IReadOnlyCollection<string> KnownVariables,
        IReadOnlyDictionary<string, IReadOnlyList<string>> Samples,
        IReadOnlyDictionary<string, string> OutputSamples);

    private readonly Knowledge _knowledge;
    private readonly Dictionary<string, YamlMappingNode> _workflows;

    public WorkflowWiring(IReadOnlyDictionary<string, string> workflows, Knowledge knowledge)
    {
        _knowledge = knowledge;
        _workflows = workflows.ToDictionary(w => w.Key, w => Parse(w.Value));
    }

    private static YamlMappingNode Parse(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        var uploads = _workflows.SelectMany(w => Jobs(w.Value).SelectMany(j => UploadedNames(j.Job).Select(n => (Workflow: w.Key, Job: j.Name, Name: n))))
            .ToList();
        foreach (var (file, workflow) in _workflows)
        {
            var jobs = Jobs(workflow).ToDictionary(j => j.Name, j => j.Job);
            foreach (var (name, job) in jobs)
            {
                var where = $"{file}: job {name}";
                problems.AddRange(NeedsOutputs(where, job, jobs));
                problems.AddRange(Downloads(where, job, file, uploads));
                problems.AddRange(Variables(where, workflow, job));
                problems.AddRange(MatrixUses(where, job, jobs));
            }
        }
        return problems;
    }

    private static IEnumerable<(string Name, YamlMappingNode Job)> Jobs(YamlMappingNode workflow) =>
        Child(workflow, "jobs") is YamlMappingNode jobs ? jobs.Children.Select(j => (((YamlScalarNode)j.Key).Value!, (YamlMappingNode)j.Value)) : [];

    private static YamlNode? Child(YamlNode node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static IEnumerable<YamlMappingNode> Steps(YamlMappingNode job) =>
        Child(job, "steps") is YamlSequenceNode steps ? steps.Children.OfType<YamlMappingNode>() : [];

    private static IEnumerable<string> Scalars(YamlNode node) => node switch
    {
        YamlScalarNode scalar => [scalar.Value ?? ""],
        YamlSequenceNode sequence => sequence.Children.SelectMany(Scalars),
        YamlMappingNode mapping => mapping.Children.SelectMany(c => Scalars(c.Key).Concat(Scalars(c.Value))),
        _ => [],
    };

    private static IReadOnlyList<string> Needs(YamlMappingNode job) => Child(job, "needs") switch
    {
        YamlScalarNode one => [one.Value!],
        YamlSequenceNode many => [.. many.Children.Select(c => ((YamlScalarNode)c).Value!)],
        _ => [],
    };

    private static IEnumerable<string> NeedsOutputs(string where, YamlMappingNode job, IReadOnlyDictionary<string, YamlMappingNode> jobs)
    {
        var needs = Needs(job);
        foreach (Match use in NeedsOutput().Matches(string.Join("\n", Scalars(job))))
        {
            var (source, output) = (use.Groups[1].Value, use.Groups[2].Value);
            if (!needs.Contains(source))
            {
                yield return $"{where} reads needs.{source}.outputs.{output} but does not need {source} (needs: {string.Join(", ", needs)})";
            }
            else if (!jobs.TryGetValue(source, out var producer) || Child(producer, "outputs") is not YamlMappingNode outputs
                || !outputs.Children.ContainsKey(new YamlScalarNode(output)))
            {
                yield return $"{where} reads needs.{source}.outputs.{output}, which job {source} does not declare";
            }
        }
    }

    private static bool IsAction(YamlMappingNode step, string action) =>
        Child(step, "uses") is YamlScalarNode { Value: { } uses } && uses.StartsWith(action + "@", StringComparison.Ordinal);

    private IEnumerable<string> UploadedNames(YamlMappingNode job) => Steps(job)
        .Where(s => IsAction(s, "actions/upload-artifact"))
        .SelectMany(s =>
            Child(Child(s, "with")!, "name") is YamlScalarNode { Value: { } name } ? Expand(name) : [$"<upload without a name in {job.Start.Line}>"]);

    private IEnumerable<string> Downloads(string where, YamlMappingNode job, string file, IReadOnlyList<(string Workflow, string Job, string Name)> uploads)
    {
        foreach (var step in Steps(job).Where(s => IsAction(s, "actions/download-artifact")))
        {
            var with = Child(step, "with");
            var (kind, text) = Child(with!, "name") is YamlScalarNode { Value: { } name } ? ("name", name)
                : Child(with!, "pattern") is YamlScalarNode { Value: { } pattern } ? ("pattern", pattern) : ("everything", "*");
            // Another run's artifacts (run-id) come from the workflow this one is triggered by.
            var pool = Child(with!, "run-id") is null ? uploads.Where(u => u.Workflow == file) : uploads.Where(u => u.Workflow != file);
            var names = pool.Select(u => u.Name).Distinct().ToList();
            foreach (var wanted in Expand(text))
            {
                var glob = new Regex("\\A" + Regex.Escape(wanted).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal)
                    + "\\z");
                if (!names.Any(glob.IsMatch))
                {
                    yield return $"{where} downloads {kind} '{text}' (as '{wanted}'), which no job uploads " +
                        $"(uploaded: {string.Join(", ", names.Take(8))}{(names.Count > 8 ? ", …" : "")})";
                }
            }
        }
    }

    /// <summary>Every combination of sample values for the expressions in a name; an expression without samples stays as '*'.</summary>
    private IReadOnlyList<string> Expand(string text)
    {
        var results = new List<string> { "" };
        var last = 0;
        foreach (Match expression in Expression().Matches(text))
        {
            var literal = text[last..expression.Index];
            var values = _knowledge.Samples.GetValueOrDefault(expression.Groups[1].Value.Trim(), ["*"]);
            results = [.. results.SelectMany(r => values.Select(v => r + literal + v))];
            last = expression.Index + expression.Length;
        }
        return [.. results.Select(r => r + text[last..]).Distinct()];
    }

    private IEnumerable<string> Variables(string where, YamlMappingNode workflow, YamlMappingNode job)
    {
        var blocks = new[] { Child(workflow, "env"), Child(job, "env") }.Concat(Steps(job).Select(s => Child(s, "env"))).OfType<YamlMappingNode>();
        foreach (var variable in blocks.SelectMany(b => b.Children.Keys.Select(k => ((YamlScalarNode)k).Value!)))
        {
            if (variable.StartsWith("FIL_PERF_", StringComparison.Ordinal) && !_knowledge.KnownVariables.Contains(variable))
            {
                yield return $"{where} sets {variable}, which is no parameter or alias of the build";
            }
        }
    }

    private IEnumerable<string> MatrixUses(string where, YamlMappingNode job, IReadOnlyDictionary<string, YamlMappingNode> jobs)
    {
        var matrix = Child(Child(job, "strategy") ?? new YamlMappingNode(), "matrix") as YamlMappingNode;
        var keys = matrix?.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => c.Value) ?? [];
        foreach (var use in MatrixUse().Matches(string.Join("\n", Scalars(job))).Select(m => (Key: m.Groups[1].Value, Field: m.Groups[2].Value)).Distinct())
        {
            if (!keys.TryGetValue(use.Key, out var source))
            {
                yield return $"{where} uses matrix.{use.Key}, which its matrix does not define (keys: {string.Join(", ", keys.Keys)})";
                continue;
            }
            // A key read from a job output: the fields used must be in that output's JSON.
            if (use.Field.Length > 0 && source is YamlScalarNode { Value: { } value } && FromJsonOutput().Match(value) is { Success: true } output)
            {
                if (!_knowledge.OutputSamples.TryGetValue(output.Groups[2].Value, out var sample))
                {
                    yield return $"{where}: matrix.{use.Key} comes from " +
                        $"needs.{output.Groups[1].Value}.outputs.{output.Groups[2].Value}, whose JSON shape is unknown to this check";
                }
                else if (System.Text.Json.Nodes.JsonNode.Parse(sample) is System.Text.Json.Nodes.JsonArray { Count: > 0 } array
                    && array[0] is System.Text.Json.Nodes.JsonObject entry && !entry.ContainsKey(use.Field))
                {
                    yield return $"{where} uses matrix.{use.Key}.{use.Field}, which the gate's " +
                        $"{output.Groups[2].Value} entries do not have ({string.Join(", ", entry.Select(p => p.Key))})";
                }
            }
        }
    }

    [GeneratedRegex(@"needs\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)")]
    private static partial Regex NeedsOutput();

    [GeneratedRegex(@"\$\{\{(.*?)\}\}")]
    private static partial Regex Expression();

    [GeneratedRegex(@"\bmatrix\.([A-Za-z0-9_-]+)(?:\.([A-Za-z0-9_-]+))?")]
    private static partial Regex MatrixUse();

    [GeneratedRegex(@"\A\$\{\{\s*fromJSON\(needs\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)\)\s*\}\}\z")]
    private static partial Regex FromJsonOutput();
}
