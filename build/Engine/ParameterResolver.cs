using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;

namespace Filare.Perf.Engine;

/// <summary>Where a parameter's value came from, for error messages and the settings table.</summary>
public sealed record ParameterOrigin(string Source, string Spelling, string RawValue)
{
    /// <summary>How the user wrote it, so an error points at the exact thing to change.</summary>
    public string Describe() => Source switch
    {
        ParameterResolver.EnvironmentSource => $"{Spelling}={RawValue}",
        ParameterResolver.CommandLineSource => $"{Spelling} {RawValue}",
        ParameterResolver.DefaultSource => $"default {Spelling} = {RawValue}",
        _ => $"{Source}: \"{Spelling}\": {RawValue}",
    };

    /// <summary>A parsed value as text, so two spellings of one value (1, true) compare equal.</summary>
    public static string Text(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        string[] list => string.Join(' ', list),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        var other => other.ToString() ?? "",
    };
}

public sealed record ResolvedParameter(ParameterDefinition Definition, object? Value, ParameterOrigin Origin);

public sealed class ParameterException(IReadOnlyList<string> errors) : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>
/// Layers the sources with Microsoft.Extensions.Configuration — defaults &lt; .nuke/parameters.json
/// &lt; environment &lt; command line — then parses each value into its property's type.
/// Every bad value is reported at once, before any target runs.
/// </summary>
public sealed class ParameterResolver
{
    public const string DefaultSource = "default";
    public const string EnvironmentSource = "environment";
    public const string CommandLineSource = "command line";

    private readonly IReadOnlyList<ParameterDefinition> _definitions;

    public ParameterResolver(IReadOnlyList<ParameterDefinition> definitions) => _definitions = definitions;

    public IReadOnlyList<string> Warnings { get; private set; } = [];

    public IReadOnlyList<ResolvedParameter> Resolve(
        string? parametersFile,
        string parametersFileDisplay,
        IReadOnlyDictionary<string, string> environment,
        CommandLineArguments commandLine)
    {
        var errors = new List<string>();
        var warnings = new List<string>();
        var byNormalized = _definitions.ToDictionary(d => ParameterNames.Normalize(d.Name));

        var defaults = new NamedSource(DefaultSource);
        foreach (var definition in _definitions)
        {
            defaults.Set(definition.Name, Raw(definition.DefaultValue));
        }

        var environmentSource = new NamedSource(EnvironmentSource);
        foreach (var (definition, name, value) in EnvironmentValues(environment, warnings, errors))
        {
            environmentSource.Set(definition.Name, [value], name);
        }

        var commandLineSource = new NamedSource(CommandLineSource);
        foreach (var option in commandLine.OptionOrder)
        {
            if (CommandLineArguments.EngineOptions.Contains(option, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }
            if (!byNormalized.TryGetValue(ParameterNames.Normalize(option), out var definition))
            {
                errors.Add($"Unknown parameter --{option}."
                    + Suggestions.DidYouMean(option, _definitions.Select(d => d.CommandLine).Concat(CommandLineArguments.EngineOptions.Select(o => "--" + o))));
                continue;
            }
            var values = commandLine.Values(option);
            // A bare switch means "on", as in --memray or --plan.
            commandLineSource.Set(definition.Name, values.Count == 0 && definition.Kind == ParameterKind.Boolean ? ["true"] : values, "--" + option);
        }

        var builder = new ConfigurationBuilder().Add(defaults);
        if (parametersFile is not null && File.Exists(parametersFile))
        {
            builder.AddJsonFile(parametersFile, optional: false, reloadOnChange: false);
        }
        builder.Add(environmentSource).Add(commandLineSource);

        IConfigurationRoot root;
        try
        {
            root = builder.Build();
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or System.Text.Json.JsonException)
        {
            throw new ParameterException([$"{parametersFileDisplay} is not valid JSON: {e.InnerException?.Message ?? e.Message}"]);
        }

        foreach (var provider in root.Providers.OfType<JsonConfigurationProvider>())
        {
            foreach (var key in provider.GetChildKeys([], null).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (key == "$schema" || _definitions.Any(d => string.Equals(d.Name, key, StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }
                errors.Add($"{parametersFileDisplay}: unknown key \"{key}\"." + Suggestions.DidYouMean(key, _definitions.Select(d => d.Name)));
            }
        }

        var resolved = new List<ResolvedParameter>();
        foreach (var definition in _definitions)
        {
            var (provider, raw) = Find(root, definition.Name);
            var (source, spelling) = provider switch
            {
                NamedSource named => (named.Name, named.Spelling(definition.Name) ?? definition.Name),
                JsonConfigurationProvider => (parametersFileDisplay, definition.Name),
                _ => (DefaultSource, definition.Name),
            };
            // An alias is named as the user wrote it.
            var origin = new ParameterOrigin(source, source == EnvironmentSource && spelling == definition.Name ? definition.EnvironmentVariable : spelling,
                string.Join(' ', raw));
            if (ValueParser.TryParse(definition, raw, out var value, out var allowed))
            {
                resolved.Add(new ResolvedParameter(definition, value, origin));
            }
            else
            {
                errors.Add($"{origin.Describe()}: expected {allowed}.");
            }
        }

        Warnings = warnings;
        if (errors.Count > 0)
        {
            throw new ParameterException(errors);
        }
        return resolved;
    }

    /// <summary>
    /// The FIL_PERF_* variables that set a parameter, by its name or an alias. A name documented as
    /// ignored gets its reason; an unknown one a suggestion; a setting given twice (name and alias)
    /// with different values is an error naming both.
    /// </summary>
    private List<(ParameterDefinition Definition, string Name, string Value)> EnvironmentValues(IReadOnlyDictionary<string, string> environment,
        List<string> warnings, List<string> errors)
    {
        var ignored = _definitions
            .SelectMany(d => d.Property.GetCustomAttributes(typeof(IgnoredVariableAttribute), false).Cast<IgnoredVariableAttribute>())
            .ToDictionary(a => a.Name, a => a.Reason, StringComparer.Ordinal);
        var found = new List<(ParameterDefinition Definition, string Name, string Value)>();
        foreach (var (name, value) in environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            // FIL_PERF_OUTPUT_DIR= means "not set", as it does for a shell script.
            if (!name.StartsWith(ParameterNames.EnvironmentPrefix, StringComparison.Ordinal) || string.IsNullOrWhiteSpace(value))
            {
                continue;
            }
            var match = _definitions.FirstOrDefault(d => d.EnvironmentVariable == name) ?? _definitions.FirstOrDefault(d => d.Attribute.Aliases.Contains(name));
            if (match is not null)
            {
                found.Add((match, name, value));
            }
            else if (ignored.TryGetValue(name, out var reason))
            {
                warnings.Add($"Ignoring {name}: {reason}");
            }
            else
            {
                warnings.Add($"Ignoring unknown variable {name}."
                    + Suggestions.DidYouMean(name, _definitions.SelectMany(d => d.Attribute.Aliases.Prepend(d.EnvironmentVariable))));
            }
        }
        foreach (var group in found.GroupBy(f => f.Definition).Where(g => g.Count() > 1))
        {
            var values = group.Select(f => ValueParser.TryParse(f.Definition, [f.Value], out var parsed, out _) ? ParameterOrigin.Text(parsed) : f.Value)
                .Distinct().ToList();
            if (values.Count > 1)
            {
                errors.Add($"{string.Join(" and ", group.Select(f => $"{f.Name}={f.Value}"))} set one setting to different values; set only one of them.");
            }
        }
        // The documented name wins over an alias that agrees with it.
        return found.GroupBy(f => f.Definition).Select(g => g.OrderBy(f => f.Name == f.Definition.EnvironmentVariable ? 0 : 1).First()).ToList();
    }

    private static (IConfigurationProvider? Provider, IReadOnlyList<string> Raw) Find(IConfigurationRoot root, string key)
    {
        foreach (var provider in root.Providers.Reverse())
        {
            if (provider.TryGet(key, out var scalar) && scalar is not null)
            {
                return (provider, [scalar]);
            }
            var children = provider.GetChildKeys([], key).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (children.Count > 0)
            {
                var values = children
                    .OrderBy(c => int.TryParse(c, out var i) ? i : int.MaxValue)
                    .Select(c => provider.TryGet($"{key}:{c}", out var v) ? v : null)
                    .OfType<string>()
                    .ToList();
                return (provider, values);
            }
            if (provider is NamedSource { Name: not DefaultSource } named && named.HasEmptyList(key))
            {
                return (provider, []);
            }
        }
        return (null, []);
    }

    private static IReadOnlyList<string> Raw(object? value) => value switch
    {
        null => [],
        string[] list => list,
        bool b => [b ? "true" : "false"],
        Enum e => [ParameterNames.ChoiceName(e)],
        IFormattable f => [f.ToString(null, System.Globalization.CultureInfo.InvariantCulture)],
        var other => [other.ToString() ?? ""],
    };

    /// <summary>An in-memory layer that remembers its name and how each key was spelled.</summary>
    private sealed class NamedSource(string name) : ConfigurationProvider, IConfigurationSource
    {
        private readonly Dictionary<string, string> _spellings = new(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _emptyLists = new(StringComparer.OrdinalIgnoreCase);

        public string Name { get; } = name;

        public string? Spelling(string key) => _spellings.GetValueOrDefault(key);

        public bool HasEmptyList(string key) => _emptyLists.Contains(key);

        public void Set(string key, IReadOnlyList<string> values, string? spelling = null)
        {
            if (spelling is not null)
            {
                _spellings[key] = spelling;
            }
            if (values.Count == 1)
            {
                Data[key] = values[0];
                return;
            }
            if (values.Count == 0)
            {
                _emptyLists.Add(key);
            }
            for (var i = 0; i < values.Count; i++)
            {
                Data[$"{key}:{i}"] = values[i];
            }
        }

        public IConfigurationProvider Build(IConfigurationBuilder builder) => this;
    }
}
