using EduLoop.Domain.QuestionBank;
using EduLoop.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EduLoop.Tests.Domain.Data;

/// <summary>
/// A write that finds another connection holding SQLite's write lock waits for it rather than
/// failing with "database is locked", and goes ahead once the lock is free.
/// </summary>
// SQLite's one write lock; PostgreSQL locks rows.
[SqliteOnly]
public sealed class WriteLockTests : IAsyncLifetime
{
    private DomainDatabase _database = null!;

    public async Task InitializeAsync() => _database = await DomainDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task AWrite_WhileAnotherConnectionHoldsTheLock_WaitsAndThenLands()
    {
        await using var holder = _database.CreateContext();
        await holder.Database.OpenConnectionAsync();
        await using var transaction = await holder.Database.BeginTransactionAsync();
        holder.Groups.Add(new Group { Name = "Held" });
        await holder.SaveChangesAsync();

        var waiting = Task.Run(async () =>
        {
            await using var writer = _database.CreateContext();
            writer.Groups.Add(new Group { Name = "Waited" });
            await writer.SaveChangesAsync();
        });
        // It cannot land while the lock is held; it must neither land nor fail.
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted, waiting.Exception?.ToString() ?? "the write went through a held lock");

        await transaction.CommitAsync();
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        await using var check = _database.CreateContext();
        Assert.Equal(["Held", "Waited"], await check.Groups.OrderBy(g => g.Id).Select(g => g.Name).ToListAsync());
    }
}
