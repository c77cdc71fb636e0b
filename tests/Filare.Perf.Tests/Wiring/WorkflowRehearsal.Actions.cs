using System.Text.RegularExpressions;
using Filare.Perf.Processes;
using YamlDotNet.RepresentationModel;

namespace Filare.Perf.Tests.Wiring;

/// <summary>The actions a rehearsal emulates, and reading the YAML.</summary>
public sealed partial class WorkflowRehearsal
{
    private string Emulate(string uses, Func<IReadOnlyDictionary<string, string>> inputs, string workspace, string where)
    {
        var action = uses.Split('@')[0];
        // Inputs of the actions that do nothing here are not evaluated (hashFiles is not rehearsed).
        var with = action is "actions/checkout" or "actions/upload-artifact" or "actions/download-artifact" ? inputs() : new Dictionary<string, string>();
        switch (action)
        {
            case "actions/checkout":
                var target = with.TryGetValue("path", out var path) ? Path.Combine(workspace, path) : workspace;
                Git(workspace, "clone", "-q", "--no-checkout", repository, target);
                var reference = with.GetValueOrDefault("ref") is { Length: > 0 } r ? r : "HEAD";
                Git(target, "checkout", "-q", reference);
                return $"cloned at {reference}";
            case "actions/setup-dotnet" or "actions/cache/restore" or "actions/cache/save":
                return "not emulated (the build runs in-process; no cache)";
            case "actions/upload-artifact":
                return Upload(with, workspace, where);
            case "actions/download-artifact":
                return Download(with, workspace, where);
            default:
                throw new InvalidOperationException($"{where}: action {uses} is not rehearsed");
        }
    }

    private string Upload(IReadOnlyDictionary<string, string> with, string workspace, string where)
    {
        var name = with["name"];
        var patterns = with["path"].Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var files = patterns.SelectMany(p => Matches(workspace, p)).Distinct(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            return with.GetValueOrDefault("if-no-files-found") == "error"
                ? throw new InvalidOperationException($"{where}: artifact {name}: no file matches {string.Join(", ", patterns)}")
                : $"artifact {name}: no files, nothing uploaded";
        }
        if (_artifacts.ContainsKey(name))
        {
            // upload-artifact v4 refuses a second artifact of the same name in one run.
            throw new InvalidOperationException($"{where}: artifact {name} was already uploaded by another job of this run");
        }
        // The artifact's root is the least common ancestor of the patterns' search paths (the part before a wildcard).
        var root = patterns.Select(p => SearchPath(workspace, p)).Aggregate(CommonFolder);
        var folder = Path.Combine(work, "artifacts", name);
        foreach (var file in files)
        {
            var copy = Path.Combine(folder, Path.GetRelativePath(root, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
        _artifacts[name] = folder;
        return $"artifact {name}: {files.Count} files";
    }

    private string Download(IReadOnlyDictionary<string, string> with, string workspace, string where)
    {
        var destination = Path.Combine(workspace, with.GetValueOrDefault("path") ?? ".");
        if (with.TryGetValue("name", out var name) && name.Length > 0)
        {
            var folder = _artifacts.GetValueOrDefault(name) ?? throw new InvalidOperationException($"{where}: artifact {name} was not uploaded");
            CopyTree(folder, destination);
            return $"artifact {name}";
        }
        var pattern = Glob(with["pattern"]);
        var names = _artifacts.Keys.Where(n => pattern.IsMatch(n)).Order(StringComparer.Ordinal).ToList();
        var merge = with.GetValueOrDefault("merge-multiple") == "true";
        foreach (var match in names)
        {
            CopyTree(_artifacts[match], merge ? destination : Path.Combine(destination, match));
        }
        return $"pattern {with["pattern"]}: {string.Join(", ", names)}";
    }

    private static IEnumerable<string> Matches(string workspace, string pattern)
    {
        var directory = pattern.EndsWith('/');
        IEnumerable<string> paths = [workspace];
        foreach (var segment in pattern.TrimEnd('/').Split('/'))
        {
            var glob = Glob(segment);
            paths = paths.Where(Directory.Exists)
                .SelectMany(p => Directory.EnumerateFileSystemEntries(p).Where(e => glob.IsMatch(Path.GetFileName(e))))
                .ToList();
        }
        return paths.SelectMany(p => Directory.Exists(p)
            ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories)
            : directory ? [] : [p]);
    }

    private static string SearchPath(string workspace, string pattern)
    {
        var segments = pattern.TrimEnd('/').Split('/');
        var plain = segments.TakeWhile(s => s.IndexOfAny(['*', '?', '[']) < 0).ToList();
        var path = Path.Combine([workspace, .. plain]);
        // A pattern without a wildcard names a file (its folder is the root) or a folder (the root itself).
        return plain.Count == segments.Length && File.Exists(path) ? Path.GetDirectoryName(path)! : path;
    }

    private static string CommonFolder(string a, string b)
    {
        var left = a.Split('/');
        var right = b.Split('/');
        return string.Join('/', left.Zip(right).TakeWhile(p => p.First == p.Second).Select(p => p.First));
    }

    private static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace(@"\*", "[^/]*", StringComparison.Ordinal).Replace(@"\?", "[^/]", StringComparison.Ordinal) + "$");

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy, overwrite: false);
        }
    }

    private static void Git(string directory, params string[] arguments)
    {
        var result = ToolProcess.RunAsync("git", arguments, directory, TimeSpan.FromMinutes(1), CancellationToken.None).GetAwaiter().GetResult();
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)}: {result.StandardError}");
        }
    }

    /// <summary>Jobs in an order where each comes after the jobs it needs (the YAML's order among equals).</summary>
    private static List<string> Ordered(YamlMappingNode jobs)
    {
        var order = new List<string>();
        var names = jobs.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToList();
        while (order.Count < names.Count)
        {
            var next = names.FirstOrDefault(n => !order.Contains(n) && Needs(Map(jobs[n])).All(order.Contains))
                ?? throw new InvalidOperationException("the jobs' needs form a cycle");
            order.Add(next);
        }
        return order;
    }

    private static List<string> Needs(YamlMappingNode job) => job.TryGetValue("needs", out var needs)
        ? needs is YamlSequenceNode list ? list.Select(Scalar).ToList() : [Scalar(needs)]
        : [];

    private static YamlMappingNode Map(YamlNode node) => (YamlMappingNode)node;

    private static string Scalar(YamlNode node) => ((YamlScalarNode)node).Value ?? "";
}

internal static class YamlMappingExtensions
{
    public static bool TryGetValue(this YamlMappingNode node, string key, out YamlNode value)
    {
        value = null!;
        return node.Children.TryGetValue(new YamlScalarNode(key), out value!);
    }

    public static bool ContainsKey(this YamlMappingNode node, string key) => node.Children.ContainsKey(new YamlScalarNode(key));

    public static IEnumerable<(string Key, YamlNode Value)> Pairs(this YamlMappingNode node) =>
        node.Children.Select(c => (((YamlScalarNode)c.Key).Value!, c.Value));
}
