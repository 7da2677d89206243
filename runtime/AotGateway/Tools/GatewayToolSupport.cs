using System;
using System.Buffers;
using System.ComponentModel;
using System.Text;
using System.Text.Json;

namespace AotGateway;

/// <summary>Helpers the generated tool code calls. Not meant for direct use.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GatewayToolSupport
{
    /// <summary>The content of the tool message for a method that returns nothing.</summary>
    public const string NoResult = "ok";

    /// <summary>Reads a call's arguments; an empty string counts as <c>{}</c>, as some servers send for tools without parameters.</summary>
    /// <exception cref="GatewayToolException">The arguments are not valid JSON for the parameters.</exception>
    public static T ParseArguments<T>(string toolName, string arguments) where T : IGatewayJson<T>
    {
        ArgumentNullException.ThrowIfNull(arguments);
        try
        {
            return GatewayJson.Deserialize<T>(string.IsNullOrWhiteSpace(arguments) ? "{}" : arguments);
        }
        catch (JsonException ex)
        {
            string where = ex is GatewayJsonException g ? $" at {g.Path}" : "";
            throw new GatewayToolException($"The arguments for '{toolName}' do not fit its parameters{where}: {ex.Message}", toolName, GatewayToolFailure.InvalidArguments, ex);
        }
    }

    /// <summary>A buffer and writer for a JSON result; <see cref="ResultWriter.ToJsonString"/> ends it.</summary>
    public static ResultWriter BeginResult() => new();

    /// <summary>Writes a tool's result as JSON text.</summary>
    public sealed class ResultWriter : IDisposable
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(256);

        internal ResultWriter()
        {
            Writer = new Utf8JsonWriter(_buffer);
        }

        /// <summary>The writer to write the one result value with.</summary>
        public Utf8JsonWriter Writer { get; }

        /// <summary>The JSON written.</summary>
        public string ToJsonString()
        {
            Writer.Flush();
            return Encoding.UTF8.GetString(_buffer.WrittenSpan);
        }

        /// <summary>Releases the writer.</summary>
        public void Dispose() => Writer.Dispose();
    }
}
