using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AotGateway.Tests.Generator;

/// <summary>Checks on the generators' tracked steps that every generator test runs (through <see cref="GeneratorHarness.Run(string[])"/>).</summary>
internal static class GeneratorSteps
{
    /// <summary>Every step the generators name, and every source output, was Cached or Unchanged.</summary>
    public static void AssertAllCached(GeneratorDriverRunResult run)
    {
        foreach (GeneratorRunResult result in run.Results)
        {
            foreach ((string name, ImmutableArrayOf steps) in Steps(result))
            {
                // The compiler's own input steps (the Compilation itself) are new on a new compilation by definition.
                if (!s_ourSteps.Contains(name) && !result.TrackedOutputSteps.ContainsKey(name))
                    continue;
                foreach (IncrementalGeneratorRunStep step in steps)
                {
                    foreach ((object _, IncrementalStepRunReason reason) in step.Outputs)
                        Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                            $"{result.Generator.GetGeneratorType().Name}: step {name} was {reason} on a rerun over the same sources");
                }
            }
        }
    }

    /// <summary>The steps the generators name (TrackingNames): the compiler's own steps inside ForAttributeWithMetadataName hold trees by design.</summary>
    private static readonly HashSet<string> s_ourSteps = typeof(AotGateway.Generator.TrackingNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!).ToHashSet();

    /// <summary>
    /// No output of a step the generators name, nor any value a source output is made from, holds an
    /// <see cref="ISymbol"/>, a <see cref="SyntaxNode"/> or a <see cref="Compilation"/>.
    /// </summary>
    public static void AssertNoCompilerObjects(GeneratorDriverRunResult run)
    {
        foreach (GeneratorRunResult result in run.Results)
        {
            foreach ((string name, ImmutableArrayOf steps) in Steps(result))
            {
                if (!s_ourSteps.Contains(name) && !result.TrackedOutputSteps.ContainsKey(name))
                    continue;
                foreach (IncrementalGeneratorRunStep step in steps)
                {
                    foreach ((object value, IncrementalStepRunReason _) in step.Outputs)
                    {
                        if (FindCompilerObject(value, new HashSet<object>(ReferenceEqualityComparer.Instance), depth: 0) is { } path)
                            Assert.Fail($"{result.Generator.GetGeneratorType().Name}: step {name} holds {path}");
                    }
                }
            }
        }
    }

    private sealed class ImmutableArrayOf(IEnumerable<IncrementalGeneratorRunStep> steps) : IEnumerable<IncrementalGeneratorRunStep>
    {
        public IEnumerator<IncrementalGeneratorRunStep> GetEnumerator() => steps.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private static IEnumerable<(string Name, ImmutableArrayOf Steps)> Steps(GeneratorRunResult result)
    {
        foreach (var pair in result.TrackedSteps)
            yield return (pair.Key, new ImmutableArrayOf(pair.Value));
        foreach (var pair in result.TrackedOutputSteps)
            yield return (pair.Key, new ImmutableArrayOf(pair.Value));
    }

    /// <summary>Where in <paramref name="value"/> a compiler object sits, as a path of field names, or null.</summary>
    internal static string? FindCompilerObject(object? value) => FindCompilerObject(value, new HashSet<object>(ReferenceEqualityComparer.Instance), 0);

    private static string? FindCompilerObject(object? value, HashSet<object> seen, int depth)
    {
        if (value is null || depth > 32)
            return null;
        if (value is ISymbol or SyntaxNode or Compilation or SemanticModel or SyntaxTree)
            return value.GetType().Name;
        Type type = value.GetType();
        if (type.IsPrimitive || type.IsEnum || value is string or decimal or DateTime or Location or Diagnostic or DiagnosticDescriptor)
            return null;
        if (!type.IsValueType && !seen.Add(value))
            return null;
        if (type.GetProperty("IsDefault") is { PropertyType: var isDefault } property && isDefault == typeof(bool) && (bool)property.GetValue(value)!)
            return null;
        if (value is IEnumerable items)
        {
            int i = 0;
            foreach (object? item in items)
            {
                if (FindCompilerObject(item, seen, depth + 1) is { } path)
                    return $"[{i}].{path}";
                i++;
            }
            return null;
        }
        for (Type? t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (FieldInfo field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (FindCompilerObject(field.GetValue(value), seen, depth + 1) is { } path)
                    return $"{field.Name}.{path}";
            }
        }
        return null;
    }
}
