using System.Reflection;

namespace Filare.Perf.Engine;

public sealed class BuildConfigurationException(string message) : Exception(message);

/// <summary>Reads the Target properties of a build and orders what a command line asks for.</summary>
public sealed class TargetGraph
{
    private readonly Dictionary<string, TargetInfo> _targets;
    private readonly Dictionary<MethodInfo, string> _names;

    private TargetGraph(Dictionary<string, TargetInfo> targets, Dictionary<MethodInfo, string> names)
    {
        _targets = targets;
        _names = names;
    }

    public string NameOf(Target target) => _names.TryGetValue(target.Method, out var name)
        ? name
        : throw new BuildConfigurationException("The default target is not a Target property of the build.");

    public IReadOnlyCollection<TargetInfo> All => _targets.Values;

    public IEnumerable<string> Names => _targets.Keys.Order(StringComparer.Ordinal);

    public static TargetGraph Read(object build)
    {
        var properties = build.GetType()
            .GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(p => p.PropertyType == typeof(Target))
            .ToList();
        // A Target property builds a new delegate on each read, but always from the same
        // compiler-generated method: that method is the target's identity.
        var names = new Dictionary<MethodInfo, string>();
        var delegates = new Dictionary<string, Target>();
        foreach (var property in properties)
        {
            var target = (Target)property.GetValue(build)!;
            names[target.Method] = property.Name;
            delegates[property.Name] = target;
        }

        var targets = new Dictionary<string, TargetInfo>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, target) in delegates)
        {
            var definition = new TargetDefinition();
            target(definition);
            targets[name] = new TargetInfo(
                name,
                definition.Text,
                definition.Dependencies.Select(NameOf).ToList(),
                definition.Predecessors.Select(NameOf).ToList(),
                definition.Conditions,
                definition.Assured,
                definition.Actions,
                definition.Proceed);
        }
        return new TargetGraph(targets, names);

        string NameOf(Target reference) => names.TryGetValue(reference.Method, out var n)
            ? n
            : throw new BuildConfigurationException($"A dependency refers to a target that is not a Target property of {build.GetType().Name}.");
    }

    public string Canonical(string name) => _targets.TryGetValue(name, out var t)
        ? t.Name
        : _targets.Values.FirstOrDefault(t => ParameterNames.Normalize(t.Name) == ParameterNames.Normalize(name))?.Name
          ?? throw new BuildConfigurationException($"Unknown target '{name}'." + Suggestions.DidYouMean(name, Names) + " Run --help for the list.");

    /// <summary>Requested targets plus everything they depend on, dependencies first.</summary>
    public IReadOnlyList<TargetInfo> Plan(IEnumerable<string> requested)
    {
        var included = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var stack = new Stack<string>(requested.Select(Canonical));
        while (stack.Count > 0)
        {
            var name = stack.Pop();
            if (included.Add(name))
            {
                foreach (var dependency in _targets[name].Dependencies)
                {
                    stack.Push(dependency);
                }
            }
        }

        var order = new List<TargetInfo>();
        var state = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase); // false: visiting, true: done
        // Declaration order breaks ties so the plan is stable and reads like the build file.
        foreach (var name in _targets.Keys.Where(included.Contains))
        {
            Visit(name, []);
        }
        return order;

        void Visit(string name, List<string> path)
        {
            if (state.TryGetValue(name, out var done))
            {
                if (!done)
                {
                    throw new BuildConfigurationException("Targets depend on each other in a cycle: " + string.Join(" -> ", path.Append(name)));
                }
                return;
            }
            state[name] = false;
            path.Add(name);
            var target = _targets[name];
            foreach (var before in target.Dependencies.Concat(target.Predecessors.Where(included.Contains)))
            {
                Visit(before, path);
            }
            path.RemoveAt(path.Count - 1);
            state[name] = true;
            order.Add(target);
        }
    }
}
