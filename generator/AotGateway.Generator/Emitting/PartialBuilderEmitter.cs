using AotGateway.Generator.Model;

namespace AotGateway.Generator.Emitting;

/// <summary>
/// Writes a generated type's partial-object builder: it keeps each member once its value is whole, fills an
/// object member of a generated type and a list member while they arrive, and builds the type from what it has
/// (leniently for a partial, with the reader's required-member checks for the whole value).
/// </summary>
internal static class PartialBuilderEmitter
{
    private const string Builder = "global::AotGateway.PartialJsonBuilder";
    private const string Span = "global::System.ReadOnlySpan<byte>";
    private const string Reading = "global::AotGateway.GatewayJsonReading";

    /// <summary>What fills a member while it arrives: a nested generated type, a list, or nothing (read whole).</summary>
    private static string? OpenBuilderType(TypeShape shape) => shape.Kind switch
    {
        ShapeKind.Object => $"{Builder}<{shape.NonNullableTypeName}>",
        ShapeKind.Array or ShapeKind.List => $"global::AotGateway.PartialListBuilder<{shape.Element!.TypeName}>",
        _ => null,
    };

    public static void Emit(SourceWriter w, JsonTypeModel model, string contract)
    {
        string self = model.FullyQualifiedName;
        w.Line($"static {Builder}<{self}>? {contract}.CreatePartialJsonBuilder() => new __GatewayJsonPartial();");
        w.Line();
        w.Open($"private sealed class __GatewayJsonPartial : {Builder}<{self}>");
        for (int i = 0; i < model.Members.Count; i++)
        {
            JsonMemberModel member = model.Members[i];
            w.Line($"private {member.Shape.TypeName} __m{i} = {member.DefaultExpression ?? "default!"};");
            if (NeedsPresence(member))
                w.Line($"private bool __has{i};");
            if (OpenBuilderType(member.Shape) is { } open)
                w.Line($"private {open}? __open{i};");
            if (member.Shape.Kind == ShapeKind.String)
                w.Line($"private global::System.Text.StringBuilder? __grow{i};");
        }
        w.Line();
        EmitOpen(w, model);
        w.Line();
        EmitComplete(w, model);
        w.Line();
        EmitClose(w, model);
        w.Line();
        EmitGrow(w, model);
        w.Line($"public override {self} Snapshot() => Build(strict: false);");
        w.Line();
        w.Line($"public override {self} Finish() => Build(strict: true);");
        w.Line();
        EmitBuild(w, model);
        EmitElementReaders(w, model);
        w.Close();
    }

    private static void EmitOpen(SourceWriter w, JsonTypeModel model)
    {
        w.Open($"public override global::AotGateway.PartialJsonBuilder? OpenMember({Span} name, bool isArray)");
        for (int i = 0; i < model.Members.Count; i++)
        {
            TypeShape shape = model.Members[i].Shape;
            string match = Matches(model.Members[i]);
            if (shape.Kind == ShapeKind.Object)
                w.Line($"if ({match}) return isArray ? null : (__open{i} = global::AotGateway.GatewayJson.CreatePartialBuilder<{shape.NonNullableTypeName}>());");
            else if (shape.Kind is ShapeKind.Array or ShapeKind.List)
                w.Line($"if ({match}) return isArray ? (__open{i} = new global::AotGateway.PartialListBuilder<{shape.Element!.TypeName}>(__ReadElement{i})) : null;");
        }
        w.Line("return null;");
        w.Close();
    }

    private static void EmitComplete(SourceWriter w, JsonTypeModel model)
    {
        w.Open($"public override void CompleteMember({Span} name, ref global::System.Text.Json.Utf8JsonReader reader)");
        for (int i = 0; i < model.Members.Count; i++)
        {
            JsonMemberModel member = model.Members[i];
            w.Open($"if ({Matches(member)})");
            if (OpenBuilderType(member.Shape) is not null)
                w.Line($"__open{i} = null;");
            if (member.Shape.Kind == ShapeKind.String)
                w.Line($"__grow{i} = null;");
            JsonTypeEmitter.ReadMemberValue(w, member, $"__m{i}");
            if (NeedsPresence(member))
                w.Line($"__has{i} = true;");
            w.Line("return;");
            w.Close();
        }
        w.Close();
    }

    private static string Matches(JsonMemberModel member) =>
        $"global::System.MemoryExtensions.SequenceEqual(name, {Literals.Utf8(member.JsonName)})";

    /// <summary>String members shown as they grow, when the reader asks for that: the text so far until the value is whole.</summary>
    private static void EmitGrow(SourceWriter w, JsonTypeModel model)
    {
        bool any = false;
        for (int i = 0; i < model.Members.Count; i++)
            any |= model.Members[i].Shape.Kind == ShapeKind.String;
        if (!any)
            return;
        w.Open($"public override void GrowString({Span} name, global::System.Text.StringBuilder textSoFar)");
        for (int i = 0; i < model.Members.Count; i++)
        {
            if (model.Members[i].Shape.Kind == ShapeKind.String)
                w.Line($"if ({Matches(model.Members[i])}) __grow{i} = textSoFar;");
        }
        w.Close();
        w.Line();
    }

    /// <summary>Whether building reads that the member arrived: the reader's own rule (required, or settable).</summary>
    private static bool NeedsPresence(JsonMemberModel member) => JsonTypeEmitter.TracksPresence(member);

    private static void EmitClose(SourceWriter w, JsonTypeModel model)
    {
        w.Open($"public override void CloseMember({Span} name, global::AotGateway.PartialJsonBuilder child)");
        for (int i = 0; i < model.Members.Count; i++)
        {
            JsonMemberModel member = model.Members[i];
            if (OpenBuilderType(member.Shape) is not { } open)
                continue;
            w.Open($"if ({Matches(member)} && child is {open} __child{i} && global::System.Object.ReferenceEquals(child, __open{i}))");
            string finish = member.Shape.Kind == ShapeKind.Array ? $"__child{i}.Finish().ToArray()" : $"__child{i}.Finish()";
            w.Open("try");
            w.Line($"__m{i} = {finish};");
            w.Close();
            w.Open("catch (global::AotGateway.GatewayJsonException __error)");
            w.Line($"throw __error.WithinProperty({Literals.CSharp(member.JsonName)});");
            w.Close();
            if (NeedsPresence(member))
                w.Line($"__has{i} = true;");
            w.Line($"__open{i} = null;");
            w.Line("return;");
            w.Close();
        }
        w.Close();
    }

    private static void EmitBuild(SourceWriter w, JsonTypeModel model)
    {
        w.Open($"private {model.FullyQualifiedName} Build(bool strict)");
        for (int i = 0; i < model.Members.Count; i++)
        {
            JsonMemberModel member = model.Members[i];
            w.Line($"{member.Shape.TypeName} __v{i} = __m{i};");
            if (OpenBuilderType(member.Shape) is not null)
            {
                string snapshot = member.Shape.Kind == ShapeKind.Array ? $"__o{i}.Snapshot().ToArray()" : $"__o{i}.Snapshot()";
                w.Line($"if (!strict && __open{i} is {{ }} __o{i}) __v{i} = {snapshot};");
            }
            if (member.Shape.Kind == ShapeKind.String)
                w.Line($"if (!strict && __grow{i} is {{ }} __g{i}) __v{i} = __g{i}.ToString();");
            if (member.IsRequired)
                w.Line($"if (strict && !__has{i}) throw {Reading}.Missing({Literals.CSharp(model.Name)}, {Literals.CSharp(member.JsonName)});");
        }
        // Only settable members ask: set what arrived, or is arriving in a partial.
        JsonTypeEmitter.Construct(w, model, "__v", i => model.Members[i].Shape.Kind switch
        {
            ShapeKind.String => $"(__has{i} || (!strict && __grow{i} is not null))",
            _ when OpenBuilderType(model.Members[i].Shape) is not null => $"(__has{i} || (!strict && __open{i} is not null))",
            _ => $"__has{i}",
        });
        w.Line("return __result;");
        w.Close();
    }

    /// <summary>A list member's element reader, handed to its <c>PartialListBuilder</c>.</summary>
    private static void EmitElementReaders(SourceWriter w, JsonTypeModel model)
    {
        for (int i = 0; i < model.Members.Count; i++)
        {
            TypeShape shape = model.Members[i].Shape;
            if (shape.Kind is not (ShapeKind.Array or ShapeKind.List))
                continue;
            w.Line();
            w.Open($"private static {shape.Element!.TypeName} __ReadElement{i}(ref global::System.Text.Json.Utf8JsonReader reader)");
            w.Line($"{shape.Element.TypeName} __element = default!;");
            JsonTypeEmitter.ReadValue(w, shape.Element, "__element", "null", 1);
            w.Line("return __element;");
            w.Close();
        }
    }
}
