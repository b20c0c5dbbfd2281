/// The kernel's logo, a small three-layer network on a rounded square: the committed files in
/// Logo/ (SVG, and PNGs at 32 and 64 pixels), embedded in the binary at build time.
enum KernelLogo {
  /// The kernelspec's logo files: name and bytes.
  static var files: [(String, [UInt8])] {
    [
      ("logo-svg.svg", PackageResources.logo_svg_svg),
      ("logo-32x32.png", PackageResources.logo_32x32_png),
      ("logo-64x64.png", PackageResources.logo_64x64_png),
    ]
  }
}
