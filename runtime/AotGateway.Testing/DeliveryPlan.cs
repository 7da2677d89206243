using System;
using System.Collections.Generic;

namespace AotGateway.Testing;

/// <summary>
/// How an adapter delivers a reply's body: the writes in order (with a pause before each) and how delivery
/// ends. Both adapters follow the same plan, so a fault behaves the same in-process and over sockets.
/// </summary>
internal sealed class DeliveryPlan
{
    private DeliveryPlan(List<(ReadOnlyMemory<byte> Bytes, TimeSpan Delay)> writes, FakeFaultKind ending)
    {
        Writes = writes;
        Ending = ending;
    }

    public List<(ReadOnlyMemory<byte> Bytes, TimeSpan Delay)> Writes { get; }

    /// <summary><see cref="FakeFaultKind.None"/> for a clean end, else the reset, truncation or stall that ends it.</summary>
    public FakeFaultKind Ending { get; }

    public static DeliveryPlan For(FakeReply reply)
    {
        FakeFault fault = reply.Fault;
        var writes = new List<(ReadOnlyMemory<byte>, TimeSpan)>();
        switch (fault.Kind)
        {
            case FakeFaultKind.Drip:
                foreach (ReadOnlyMemory<byte> part in reply.BodyParts)
                {
                    for (int i = 0; i < part.Length; i++)
                        writes.Add((part.Slice(i, 1), fault.Delay));
                }
                return new DeliveryPlan(writes, FakeFaultKind.None);
            case FakeFaultKind.OddChunks:
                byte[] body = Concatenate(reply.BodyParts);
                int size = Math.Max(1, fault.AfterBodyBytes);
                for (int at = 0; at < body.Length; at += size)
                    writes.Add((body.AsMemory(at, Math.Min(size, body.Length - at)), fault.Delay));
                return new DeliveryPlan(writes, FakeFaultKind.None);
            case FakeFaultKind.ResetAfterBodyBytes:
            case FakeFaultKind.TruncateAfterBodyBytes:
            case FakeFaultKind.StallAfterBodyBytes:
                int remaining = fault.AfterBodyBytes;
                foreach (ReadOnlyMemory<byte> part in reply.BodyParts)
                {
                    if (remaining <= 0)
                        break;
                    ReadOnlyMemory<byte> piece = part.Length <= remaining ? part : part[..remaining];
                    writes.Add((piece, fault.Delay));
                    remaining -= piece.Length;
                }
                return new DeliveryPlan(writes, fault.Kind);
            default:
                foreach (ReadOnlyMemory<byte> part in reply.BodyParts)
                    writes.Add((part, fault.Delay));
                return new DeliveryPlan(writes, FakeFaultKind.None);
        }
    }

    private static byte[] Concatenate(IReadOnlyList<ReadOnlyMemory<byte>> parts)
    {
        int length = 0;
        foreach (ReadOnlyMemory<byte> part in parts)
            length += part.Length;
        byte[] all = new byte[length];
        int at = 0;
        foreach (ReadOnlyMemory<byte> part in parts)
        {
            part.Span.CopyTo(all.AsSpan(at));
            at += part.Length;
        }
        return all;
    }
}
