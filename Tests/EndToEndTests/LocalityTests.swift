import Foundation
import Testing

/// `mediabank locality resolve` and `locality at` as a user runs them.
@Suite struct LocalityTests {
  let cli = CLI()

  @Test("a former province resolves to today's, with how it got there")
  func formerProvince() throws {
    let result = try cli("locality", "resolve", "Bắc Kạn")
    #expect(result.status == 0)
    #expect(result.stdout == "Bắc Kạn → 19 Tỉnh Thái Nguyên (former province, merged 2025)\n")
    let json = try #require(try cli("locality", "resolve", "bac kan", "--json").json() as? [String: Any])
    let match = try #require(json["match"] as? [String: Any])
    #expect((match["province"] as? [String: Any])?["code"] as? String == "19")
  }

  @Test("an ambiguous name lists its candidates and exits 1; an unknown one exits 1")
  func ambiguous() throws {
    let result = try cli("locality", "resolve", "Tân Thành")
    #expect(result.status == 1)
    #expect(result.stdout.contains("Tân Thành is ambiguous; 9 candidates:"))
    #expect(result.stdout.contains("05923 Xã Tân Thành, 19 Tỉnh Thái Nguyên (commune)"))
    let unknown = try cli("locality", "resolve", "xyzzy")
    #expect(unknown.status == 1)
    #expect(unknown.stderr.contains("no province or commune, today's or former, is called 'xyzzy'"))
  }

  @Test("a GPS point gives its commune and province; a point outside Vietnam exits 1")
  func gps() throws {
    let hanoi = try cli("locality", "at", "21.03257", "105.84971")
    #expect(hanoi.status == 0)
    #expect(hanoi.stdout == "00070 Phường Hoàn Kiếm, 01 Thành phố Hà Nội\n")
    let spratly = try cli("locality", "at", "7.88477", "110.01217")
    #expect(spratly.stdout.contains("22736 Đặc khu Trường Sa"))
    let outside = try cli("locality", "at", "1", "1")
    #expect(outside.status == 1)
    #expect(outside.stderr.contains("is not in Vietnam"))
  }
}
