using Microsoft.AspNetCore.Components;
using QRCoder;

namespace EduLoop.App.Live;

/// <summary>A QR code as inline SVG markup: no image request, nothing the Content-Security-Policy must allow.</summary>
public static class QrCode
{
    public static MarkupString Svg(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new MarkupString(new SvgQRCode(data).GetGraphic(8));
    }
}
