using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EduLoop.Domain.Data.Migrations
{
    /// <inheritdoc />
    public partial class AccountNumbers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "FirstName",
                table: "AspNetUsers",
                type: "TEXT",
                maxLength: 150,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "LastName",
                table: "AspNetUsers",
                type: "TEXT",
                maxLength: 150,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "Number",
                table: "AspNetUsers",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "AccountNumbers",
                columns: table => new
                {
                    Number = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccountNumbers", x => x.Number);
                });

            // The accounts made so far are numbered in the order they were made, and their numbers taken.
            migrationBuilder.Sql(
                """
                UPDATE "AspNetUsers" SET "Number" = (SELECT COUNT(*) FROM "AspNetUsers" AS "o"
                    WHERE "o"."CreatedAt" < "AspNetUsers"."CreatedAt" OR ("o"."CreatedAt" = "AspNetUsers"."CreatedAt" AND "o"."Id" <= "AspNetUsers"."Id"));
                INSERT INTO "AccountNumbers" ("Number") SELECT "Number" FROM "AspNetUsers";
                """);

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUsers_Number",
                table: "AspNetUsers",
                column: "Number",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AccountNumbers");

            migrationBuilder.DropIndex(
                name: "IX_AspNetUsers_Number",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "FirstName",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "LastName",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "Number",
                table: "AspNetUsers");
        }
    }
}
