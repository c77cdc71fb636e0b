using System.Text.Json;
using System.Text.Json.Nodes;

namespace Filare.Perf.Engine;

/// <summary>
/// The JSON schema of <c>.nuke/parameters.json</c>, generated from the [Parameter] properties so
/// editors complete and check the file. Committed, and a test fails when it goes stale.
/// </summary>
public static class BuildSchema
{
    public const string RelativePath = ".nuke/build.schema.json";

    public static string Generate(IReadOnlyList<ParameterDefinition> parameters)
    {
        var properties = new JsonObject { ["$schema"] = new JsonObject { ["type"] = "string" } };
        foreach (var parameter in parameters.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var node = parameter.Kind switch
            {
                ParameterKind.Boolean => new JsonObject { ["type"] = "boolean" },
                ParameterKind.Integer => new JsonObject { ["type"] = "integer" },
                ParameterKind.Number => new JsonObject { ["type"] = "number" },
                ParameterKind.StringList => new JsonObject
                {
                    ["type"] = new JsonArray("array", "string"),
                    ["items"] = new JsonObject { ["type"] = "string" },
                },
                ParameterKind.Choice => new JsonObject
                {
                    ["type"] = "string",
                    ["enum"] = new JsonArray(parameter.Choices.Select(c => (JsonNode)JsonValue.Create(c)!).ToArray()),
                },
                _ => new JsonObject { ["type"] = "string" },
            };
            node["description"] = $"{parameter.Description} (env {parameter.EnvironmentVariable}, cli {parameter.CommandLine})";
            if (!double.IsNaN(parameter.Attribute.Minimum))
            {
                node["minimum"] = parameter.Attribute.Minimum;
            }
            if (!double.IsNaN(parameter.Attribute.Maximum))
            {
                node["maximum"] = parameter.Attribute.Maximum;
            }
            properties[parameter.Name] = node;
        }
        var schema = new JsonObject
        {
            ["$schema"] = "http://json-schema.org/draft-07/schema#",
            ["title"] = "Filare.Perf build parameters",
            ["type"] = "object",
            ["properties"] = properties,
            ["additionalProperties"] = false,
        };
        return schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }
}
