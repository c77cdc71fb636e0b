using System.Globalization;
using Filare.Perf.Engine;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Filare.Perf.Scenarios;

/// <summary>
/// A YAML mapping read field by field. Every read that finds a value of the wrong shape records an
/// error with the file and line of that value and returns a fallback, so one pass over a file
/// reports all of its problems together. Nested mappings share the file's list of errors.
/// </summary>
public sealed class YamlMapping
{
    private readonly YamlMappingNode _node;
    private readonly Dictionary<string, (YamlNode Key, YamlNode Value)> _entries = new(StringComparer.Ordinal);

    private YamlMapping(YamlMappingNode node, string file, string prefix, List<string> errors)
    {
        _node = node;
        File = file;
        Prefix = prefix;
        Errors = errors;
        foreach (var (key, value) in node.Children)
        {
            _entries[(key as YamlScalarNode)?.Value ?? ""] = (key, value);
        }
    }

    /// <summary>The file as messages name it (relative to the build root).</summary>
    public string File { get; }

    /// <summary>"pytest." for a nested mapping, so messages name the key as the docs do.</summary>
    public string Prefix { get; }

    /// <summary>Every problem found so far in this file, each prefixed with file:line.</summary>
    public List<string> Errors { get; }

    /// <summary>file:line of the mapping itself, for what is missing from it.</summary>
    public string Where() => Where(_node);

    public string Where(YamlNode node) => $"{File}:{node.Start.Line}";

    public int Line(string key) => (int)(_entries.TryGetValue(key, out var entry) ? entry.Value : _node).Start.Line;

    public void Error(YamlNode node, string message) => Errors.Add($"{Where(node)}: {message}");

    public void Error(string key, string message) => Error(_entries.TryGetValue(key, out var entry) ? entry.Value : _node, message);

    public void Missing(string message) => Errors.Add($"{Where()}: {message}");

    /// <summary>Reads a file holding one mapping; a file that is not one is an error naming its line.</summary>
    public static YamlMapping Load(string path, string displayPath)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new ScenarioException([$"{displayPath}:{e.Start.Line}: not valid YAML: {e.Message}"]);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet reports some unclosed flow collections this way, without a position.
            throw new ScenarioException([$"{displayPath}: not valid YAML: {e.Message}"]);
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
        {
            throw new ScenarioException([$"{displayPath}:1: expected one YAML mapping (name:, command:, ...) per file"]);
        }
        return new YamlMapping(mapping, displayPath, "", []);
    }

    /// <summary>Records every key that is not allowed, with a suggestion for a near miss.</summary>
    public void AllowOnly(IReadOnlyList<string> allowed)
    {
        foreach (var (key, entry) in _entries.Where(e => !allowed.Contains(e.Key)))
        {
            Error(entry.Key, $"unknown key '{Prefix}{key}'." + Suggestions.DidYouMean(key, allowed) + " Allowed: " + string.Join(", ", allowed) + ".");
        }
    }

    public bool Has(string key) => _entries.ContainsKey(key);

    public YamlNode? Node(string key) => _entries.TryGetValue(key, out var entry) ? entry.Value : null;

    public YamlNode? KeyNode(string key) => _entries.TryGetValue(key, out var entry) ? entry.Key : null;

    public IEnumerable<(string Key, YamlNode Value)> Entries => _entries.Select(e => (e.Key, e.Value.Value));

    public string? Scalar(string key)
    {
        switch (Node(key))
        {
            case null:
                return null;
            case YamlScalarNode scalar:
                return scalar.Value;
            case var other:
                Error(other, $"'{Prefix}{key}' must be a single value.");
                return null;
        }
    }

    public int Integer(string key, int fallback, int minimum)
    {
        var text = Scalar(key);
        if (text is null)
        {
            return fallback;
        }
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= minimum)
        {
            return value;
        }
        Error(key, $"'{Prefix}{key}' must be a whole number ≥ {minimum}, not '{text}'.");
        return fallback;
    }

    /// <summary>A duration in seconds, written 42 or 42.5s.</summary>
    public TimeSpan Seconds(string key, TimeSpan fallback)
    {
        var text = Scalar(key);
        if (text is null)
        {
            return fallback;
        }
        if (double.TryParse(text.TrimEnd('s'), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && double.IsFinite(seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }
        Error(key, $"'{Prefix}{key}' must be a number of seconds > 0, not '{text}'.");
        return fallback;
    }

    public bool Boolean(string key, bool fallback)
    {
        var text = Scalar(key);
        if (text is null)
        {
            return fallback;
        }
        switch (text.ToLowerInvariant())
        {
            case "true" or "yes" or "on":
                return true;
            case "false" or "no" or "off":
                return false;
        }
        Error(key, $"'{Prefix}{key}' must be true or false, not '{text}'.");
        return fallback;
    }

    /// <summary>One text value or a list of them.</summary>
    public IReadOnlyList<string> StringList(string key)
    {
        switch (Node(key))
        {
            case null:
                return [];
            case YamlScalarNode { Value: { Length: > 0 } text }:
                return [text];
            case YamlSequenceNode sequence when sequence.Children.All(c => c is YamlScalarNode):
                return sequence.Children.Cast<YamlScalarNode>().Select(c => c.Value ?? "").ToList();
            case var other:
                Error(other, $"'{Prefix}{key}' must be a list of text values.");
                return [];
        }
    }

    /// <summary>A nested mapping; null (with an error when present but of another shape) otherwise.</summary>
    public YamlMapping? Mapping(string key, string shape)
    {
        switch (Node(key))
        {
            case null:
                return null;
            case YamlMappingNode mapping:
                return new YamlMapping(mapping, File, Prefix + key + ".", Errors);
            case var other:
                Error(other, $"'{Prefix}{key}' must be {shape}.");
                return null;
        }
    }
}
