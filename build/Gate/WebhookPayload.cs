using System.Globalization;
using System.Text.Json;
using Filare.Perf.Actions;
using Filare.Perf.Engine;
using Filare.Perf.Git;

namespace Filare.Perf.Gate;

/// <summary>
/// The event's webhook payload, the JSON file at GITHUB_EVENT_PATH. Read by path
/// (<c>String("comment", "body")</c>); a missing or mistyped field reads as null, so each rule
/// decides what absence means.
/// </summary>
public sealed class WebhookPayload
{
    private readonly JsonElement _root;

    private WebhookPayload(JsonElement root, string file)
    {
        _root = root;
        File = file;
    }

    public string File { get; }

    public static WebhookPayload Parse(string json, string file)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(json);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new BuildFailedException($"GITHUB_EVENT_PATH: {file} is not valid JSON: {e.Message}");
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new BuildFailedException($"GITHUB_EVENT_PATH: {file} holds a JSON " +
                $"{root.ValueKind.ToString().ToLowerInvariant()}, not the event's payload object.");
        }
        return new WebhookPayload(root, file);
    }

    public static WebhookPayload Load(IReadOnlyDictionary<string, string> environment)
    {
        if (environment.GetValueOrDefault("GITHUB_EVENT_PATH") is not { Length: > 0 } file)
        {
            throw new BuildFailedException("GITHUB_EVENT_PATH is not set: PerfGate reads " +
                "the event's webhook payload from that file, which GitHub Actions provides.");
        }
        string json;
        try
        {
            json = System.IO.File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BuildFailedException($"GITHUB_EVENT_PATH: cannot read the event payload {file}: {e.Message}");
        }
        return Parse(json, file);
    }

    public JsonElement? Element(params string[] path)
    {
        var current = _root;
        foreach (var name in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return null;
            }
        }
        return current.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : current;
    }

    /// <summary>Present and not null (issue.pull_request marks a comment on a pull request).</summary>
    public bool Has(params string[] path) => Element(path) is not null;

    public string? String(params string[] path) =>
        Element(path) is { ValueKind: JsonValueKind.String } e ? e.GetString() : null;

    public long? Int64(params string[] path) =>
        Element(path) is { ValueKind: JsonValueKind.Number } e && e.TryGetInt64(out var value) ? value : null;

    /// <summary>true/false, or the strings "true"/"false" (workflow_dispatch keeps boolean inputs as strings in the payload).</summary>
    public bool? Boolean(params string[] path) => Element(path) switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { ValueKind: JsonValueKind.String } e when bool.TryParse(e.GetString(), out var value) => value,
        _ => null,
    };

    public DateTimeOffset? Date(params string[] path) =>
        String(path) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var value) ? value : null;

    /// <summary>The names of an array of objects, e.g. pull_request.labels[*].name.</summary>
    public IReadOnlyList<string> Names(params string[] path) =>
        Element(path) is { ValueKind: JsonValueKind.Array } array
            ? array.EnumerateArray()
                .Where(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String)
                .Select(e => e.GetProperty("name").GetString()!)
                .ToList()
            : [];

    /// <summary>A field the event always carries; its absence means this is not the payload GitHub sends.</summary>
    public string RequiredSha(params string[] path)
    {
        var value = String(path);
        return CommitSha.IsFull(value)
            ? value!.ToLowerInvariant()
            : throw new BuildFailedException($"{File}: {string.Join('.', path)} is " +
                $"{(value is null ? "missing" : $"'{Untrusted.Shown(value)}'")}, not a 40-hex commit SHA.");
    }

    public int RequiredNumber(params string[] path) =>
        Int64(path) is long value && value is > 0 and <= int.MaxValue
            ? (int)value
            : throw new BuildFailedException($"{File}: {string.Join('.', path)} is missing or not a positive number.");
}
