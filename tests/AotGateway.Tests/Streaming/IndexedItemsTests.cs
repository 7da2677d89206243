using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace AotGateway.Tests.Streaming;

[Trait("Category", "Core")]
public class IndexedItemsTests
{
    [Fact]
    public void Indexes_come_back_ascending_whatever_order_they_arrived_in()
    {
        var random = new Random(41);
        for (int round = 0; round < 2_000; round++)
        {
            var keys = new HashSet<int>();
            int count = random.Next(0, 40);
            while (keys.Count < count)
            {
                keys.Add(random.Next(4) switch
                {
                    0 => random.Next(-5, 5),
                    1 => random.Next(),
                    2 => -random.Next(),
                    _ => random.Next(2) == 0 ? int.MinValue : int.MaxValue,
                });
            }
            // Arrival order: shuffled, ascending or descending.
            int[] arrival = random.Next(3) switch
            {
                0 => [.. keys.OrderBy(_ => random.Next())],
                1 => [.. keys.Order()],
                _ => [.. keys.OrderDescending()],
            };
            var items = new IndexedItems<string>();
            foreach (int key in arrival)
                items.Add(key, "item " + key);

            int[] sorted = items.SortedIndexes();
            Assert.Equal(keys.Order(), sorted);
            foreach (int key in sorted)
            {
                Assert.True(items.TryGetValue(key, out string? item));
                Assert.Equal("item " + key, item);
            }
        }
    }
}
