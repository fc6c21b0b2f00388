using EduLoop.Domain.Data;

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace EduLoop.Data.PostgreSQL;

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build the PostgreSQL model from this project; no server is
/// needed to add a migration.
/// </summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<EduLoopDbContext>
{
    public EduLoopDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<EduLoopDbContext>()
            .UseNpgsql("Host=localhost", npgsql => npgsql.MigrationsAssembly(DatabaseSettings.PostgresMigrationsAssembly))
            .Options);
}
