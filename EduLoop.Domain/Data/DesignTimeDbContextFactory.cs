using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace EduLoop.Domain.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the web host.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<EduLoopDbContext>
{
    public EduLoopDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<EduLoopDbContext>().UseSqlite("Data Source=design.db").Options);
}
