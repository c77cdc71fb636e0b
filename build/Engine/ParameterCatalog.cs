using System.Reflection;
using System.Text;

namespace Filare.Perf.Engine;

public enum ParameterKind { String, StringList, Integer, Number, Boolean, Choice }

/// <summary>One <see cref="ParameterAttribute"/> property with the names it answers to.</summary>
public sealed record ParameterDefinition(
    PropertyInfo Property,
    ParameterAttribute Attribute,
    ParameterKind Kind,
    object? DefaultValue,
    IReadOnlyList<string> Choices)
{
    public string Name => Property.Name;
    public string Key => ParameterNames.ToUpperSnake(Name);
    public string EnvironmentVariable => ParameterNames.EnvironmentPrefix + Key;
    public string CommandLine => "--" + ParameterNames.ToKebab(Name);
    public string Description => Attribute.Description;

    /// <summary>string? and int? may be unset; string and int always hold a value.</summary>
    public bool AcceptsNull => Nullable.GetUnderlyingType(Property.PropertyType) is not null
        || (!Property.PropertyType.IsValueType && new NullabilityInfoContext().Create(Property).WriteState == NullabilityState.Nullable);
    public Type ValueType => Property.PropertyType;

    public string TypeHint => Kind switch
    {
        ParameterKind.Boolean => "bool",
        ParameterKind.Integer => "int",
        ParameterKind.Number => "number",
        ParameterKind.StringList => "value...",
        ParameterKind.Choice => string.Join('|', Choices),
        _ => "text",
    };

    public string DefaultText => DefaultValue switch
    {
        null => "",
        bool b => b ? "true" : "false",
        string[] list => string.Join(' ', list),
        Enum e => ParameterNames.ChoiceName(e),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        var other => other.ToString() ?? "",
    };
}

public static class ParameterNames
{
    /// <summary>Filare documents its variables as FIL_PERF_*; every parameter shares that prefix.</summary>
    public const string EnvironmentPrefix = "FIL_PERF_";

    public static string ToUpperSnake(string pascal) => Split(pascal, '_').ToUpperInvariant();

    public static string ToKebab(string pascal) => Split(pascal, '-').ToLowerInvariant();

    public static string ChoiceName(Enum value) => value.ToString().ToLowerInvariant();

    /// <summary>Accepts --spy-rate, --SpyRate and --spy_rate alike: people type all three.</summary>
    public static string Normalize(string name) =>
        new(name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    private static string Split(string pascal, char separator)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < pascal.Length; i++)
        {
            if (i > 0 && char.IsUpper(pascal[i]) && !char.IsUpper(pascal[i - 1]))
            {
                builder.Append(separator);
            }
            builder.Append(pascal[i]);
        }
        return builder.ToString();
    }
}

public static class ParameterCatalog
{
    public static IReadOnlyList<ParameterDefinition> For(Type buildType, object defaults)
    {
        var result = new List<ParameterDefinition>();
        foreach (var property in buildType.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            if (property.GetCustomAttribute<ParameterAttribute>() is not { } attribute)
            {
                continue;
            }
            if (property.SetMethod is null)
            {
                throw new InvalidOperationException($"Parameter {property.Name} needs a setter or init accessor.");
            }
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var kind = type switch
            {
                _ when type == typeof(string) => ParameterKind.String,
                _ when type == typeof(string[]) => ParameterKind.StringList,
                _ when type == typeof(int) || type == typeof(long) => ParameterKind.Integer,
                _ when type == typeof(double) => ParameterKind.Number,
                _ when type == typeof(bool) => ParameterKind.Boolean,
                { IsEnum: true } => ParameterKind.Choice,
                _ => throw new InvalidOperationException($"Parameter {property.Name} has unsupported type {type.Name}."),
            };
            var choices = type.IsEnum
                ? Enum.GetValues(type).Cast<Enum>().Select(ParameterNames.ChoiceName).ToArray()
                : [];
            result.Add(new ParameterDefinition(property, attribute, kind, property.GetValue(defaults), choices));
        }
        var groups = buildType.GetCustomAttribute<ParameterGroupsAttribute>()?.Groups ?? [];
        return result
            .OrderBy(p => groups.Contains(p.Attribute.Group) ? groups.ToList().IndexOf(p.Attribute.Group) : groups.Count)
            .ThenBy(p => p.Attribute.Group, StringComparer.Ordinal)
            .ThenBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
    }
}
