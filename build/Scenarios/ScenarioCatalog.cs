namespace Filare.Perf.Scenarios;

/// <summary>All scenario files of a folder, checked together (names must be unique across files).</summary>
public sealed class ScenarioCatalog
{
    private ScenarioCatalog(IReadOnlyList<Scenario> scenarios) => All = scenarios;

    public IReadOnlyList<Scenario> All { get; }

    public static ScenarioCatalog Load(string directory, string displayRoot)
    {
        if (!Directory.Exists(directory))
        {
            throw new ScenarioException([$"{Display(directory)}: no scenario folder; create it with one .yml file per scenario."]);
        }
        var files = Directory.EnumerateFiles(directory)
            .Where(f => f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".yaml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
        {
            throw new ScenarioException([$"{Display(directory)}: no scenario files (*.yml)."]);
        }

        var errors = new List<string>();
        var scenarios = new List<Scenario>();
        foreach (var file in files)
        {
            try
            {
                var scenario = ScenarioFile.Load(file, Display(file));
                var first = scenarios.FirstOrDefault(s => string.Equals(s.Name, scenario.Name, StringComparison.OrdinalIgnoreCase));
                if (first is not null)
                {
                    errors.Add($"{scenario.Where}: duplicate scenario name '{scenario.Name}' (also in {first.Where}).");
                    continue;
                }
                scenarios.Add(scenario);
            }
            catch (ScenarioException e)
            {
                errors.AddRange(e.Errors);
            }
        }
        if (errors.Count > 0)
        {
            throw new ScenarioException(errors);
        }
        return new ScenarioCatalog(scenarios);

        string Display(string path) => Path.GetRelativePath(displayRoot, path);
    }

    /// <summary>By name, by tag, or both (a scenario matching either is run); nothing selected means all.</summary>
    public IReadOnlyList<Scenario> Select(IReadOnlyList<string> names, IReadOnlyList<string> tags)
    {
        var unknownNames = names.Where(n => All.All(s => !string.Equals(s.Name, n, StringComparison.OrdinalIgnoreCase))).ToList();
        var knownTags = All.SelectMany(s => s.Tags).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
        var unknownTags = tags.Where(t => !knownTags.Contains(t, StringComparer.OrdinalIgnoreCase)).ToList();
        var errors = unknownNames
            .Select(n => $"Unknown scenario '{n}'. Available: {string.Join(", ", All.Select(s => s.Name))}.")
            .Concat(unknownTags.Select(t => $"No scenario has the tag '{t}'. Tags in use: {string.Join(", ", knownTags)}."))
            .ToList();
        if (errors.Count > 0)
        {
            throw new ScenarioException(errors);
        }
        if (names.Count == 0 && tags.Count == 0)
        {
            return All;
        }
        return All.Where(s =>
                names.Contains(s.Name, StringComparer.OrdinalIgnoreCase) ||
                s.Tags.Any(t => tags.Contains(t, StringComparer.OrdinalIgnoreCase)))
            .ToList();
    }
}
