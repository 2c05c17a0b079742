import Foundation
import Testing

@testable import Taxonomy

/// The gazetteer is loaded once for all tests.
let gazetteer = try! Gazetteer.shared()

@Suite("Provinces and communes today")
struct UnitTests {
  @Test func counts() {
    #expect(gazetteer.provinces.count == 34)
    #expect(gazetteer.communes.count == 3321)
    #expect(gazetteer.formerProvinces.count == 63)
    #expect(gazetteer.provinces.map(\.communeCounts.total).reduce(0, +) == 3321)
  }

  /// SOURCES.md spot checks: code, phường / xã / đặc khu, made from.
  @Test(
    arguments: [
      ("Thành phố Hà Nội", "01", 51, 75, 0, ["01"]),
      ("Thành phố Hồ Chí Minh", "79", 113, 54, 1, ["74", "77", "79"]),
      ("Thành phố Đồng Nai", "75", 33, 62, 0, ["70", "75"]),
      ("Tỉnh Thái Nguyên", "19", 15, 77, 0, ["06", "19"]),
      ("Thành phố Huế", "46", 21, 19, 0, ["46"]),
      ("Thành phố Cần Thơ", "92", 31, 72, 0, ["92", "93", "94"]),
      ("Thành phố Quảng Ninh", "22", 30, 22, 2, ["22"]),
      ("Thành phố Đà Nẵng", "48", 23, 70, 1, ["48", "49"]),
      ("Thành phố Hải Phòng", "31", 45, 67, 2, ["30", "31"]),
    ])
  func provinceSpotCheck(name: String, code: String, wards: Int, communes: Int, zones: Int, from: [String]) throws {
    let match = try #require(gazetteer.resolve(name).match)
    #expect(match.province.code == code)
    #expect(match.province.name == name)
    #expect(match.commune == nil)
    #expect(match.province.communeCounts == CommuneCounts(wards: wards, communes: communes, specialZones: zones))
    // The counts agree with the communes themselves.
    let actual = gazetteer.communes(inProvince: code)
    #expect(actual.filter { $0.kind == .ward }.count == wards)
    #expect(actual.filter { $0.kind == .commune }.count == communes)
    #expect(actual.filter { $0.kind == .specialZone }.count == zones)
    #expect(match.province.formerProvinceCodes.sorted() == from)
    // Each former province it was made from resolves to it.
    for old in from {
      #expect(gazetteer.resolve(old).match?.province.code == code, "code \(old)")
    }
  }

  @Test func everyCommuneHasABoundary() {
    #expect(Set(gazetteer.boundaries.partCommune).count == gazetteer.communes.count)
  }
}

@Suite("Resolving names")
struct ResolveTests {
  func resolved(_ text: String) -> LocalityMatch? { gazetteer.resolve(text).match }

  /// SOURCES.md: Bắc Kạn (06) → 19; Bình Phước (70) → 75; Bà Rịa–Vũng Tàu (77) → 79.
  @Test(
    arguments: [
      ("Bắc Kạn", "06", "19"), ("Tỉnh Bắc Kạn", "06", "19"), ("bac kan", "06", "19"), ("06", "06", "19"),
      ("Bình Phước", "70", "75"), ("BINH PHUOC", "70", "75"), ("70", "70", "75"),
      ("Bà Rịa–Vũng Tàu", "77", "79"), ("Bà Rịa - Vũng Tàu", "77", "79"), ("ba ria vung tau", "77", "79"),
      ("BR-VT", "77", "79"), ("77", "77", "79"), ("VN-53", "06", "19"),
    ])
  func formerProvince(text: String, old: String, new: String) throws {
    let match = try #require(resolved(text), "\(text)")
    #expect(match.province.code == new)
    #expect(match.commune == nil)
    #expect(match.route == .formerProvince)
    #expect(match.former?.code == old)
    #expect(match.explanation == "former province, merged 2025")
  }

  @Test func bacKanReadsAsTheIssueSays() throws {
    let match = try #require(resolved("Bắc Kạn"))
    #expect("Bắc Kạn → \(match)" == "Bắc Kạn → 19 Tỉnh Thái Nguyên (former province, merged 2025)")
  }

  @Test func everyFormerProvinceResolves() {
    for former in gazetteer.formerProvinces {
      #expect(gazetteer.resolve(former.name).match != nil, "\(former.name)")
      #expect(gazetteer.resolve(former.code).match != nil, "\(former.code)")
    }
  }

  @Test(
    arguments: [
      ("TP HCM", "79"), ("TP.HCM", "79"), ("tphcm", "79"), ("HCMC", "79"), ("Sài Gòn", "79"), ("sai gon", "79"),
      ("Saigon", "79"), ("Thành phố Hồ Chí Minh", "79"), ("Hồ Chí Minh", "79"), ("Ho Chi Minh City", "79"),
      ("Huế", "46"), ("Thừa Thiên Huế", "46"), ("Tỉnh Thừa Thiên Huế", "46"), ("Thừa Thiên-Huế", "46"),
      ("TP Huế", "46"), ("Hanoi", "01"), ("Hà Nội", "01"), ("HA NOI", "01"), ("thanh pho ha noi", "01"),
      ("Tỉnh Hà Nội", "01"), ("Hòa Bình", "25"), ("Hoà Bình", "25"), ("Thanh Hoá", "38"), ("Khánh Hoà", "56"),
      ("Đắk Lắk", "66"), ("dak lak", "66"), ("DAK LAK", "66"), ("Đồng Nai", "75"), ("TP. Đồng Nai", "75"),
      ("Quảng Ninh", "22"), ("Tỉnh Quảng Ninh", "22"), ("Bắc Ninh", "24"), ("Bắc Giang", "24"),
    ])
  func provinceNamesAndAliases(text: String, code: String) throws {
    let match = try #require(resolved(text), "\(text)")
    #expect(match.province.code == code)
    #expect(match.commune == nil)
  }

  @Test func aliasRoute() throws {
    #expect(resolved("HCMC")?.route == .alias)
    #expect(resolved("Sài Gòn")?.explanation == "alias")
    #expect(resolved("Thái Nguyên")?.route == .name)
    #expect(resolved("19")?.route == .code)
  }

  @Test func communeByNameAndCode() throws {
    for text in ["Phường Hoàn Kiếm", "phuong hoan kiem", "P. Hoàn Kiếm", "00070", "Hoàn Kiếm", "HOAN KIEM"] {
      let match = try #require(resolved(text), "\(text)")
      #expect(match.commune?.code == "00070", "\(text)")
      #expect(match.province.code == "01")
    }
    #expect(resolved("00070")?.route == .code)
  }

  @Test func specialZones() throws {
    #expect(resolved("Đặc khu Hoàng Sa")?.commune?.code == "20333")
    #expect(resolved("Truong Sa")?.commune?.code == "22736")
    #expect(resolved("dac khu truong sa")?.province.code == "56")
  }

  @Test func theWardOfAFormerProvinceName() throws {
    // "Bắc Kạn" is the former province; "Phường Bắc Kạn" is today's ward.
    let ward = try #require(resolved("Phường Bắc Kạn"))
    #expect(ward.commune?.code == "01843")
    #expect(ward.route == .name)
  }

  @Test func sharedCommuneNameIsAmbiguous() throws {
    guard case .ambiguous(let candidates) = gazetteer.resolve("Tân Thành") else {
      Issue.record("expected ambiguous")
      return
    }
    // Written with diacritics: every Tân Thành, and not Tân Thanh or Tân Thạnh.
    let exact = gazetteer.communes.filter { $0.shortName == "Tân Thành" }
    #expect(exact.count > 2)
    #expect(Set(candidates.compactMap(\.commune?.code)) == Set(exact.map(\.code)))
    #expect(candidates.allSatisfy { $0.route == .name && $0.isPrimary == nil })
    // Without diacritics: all of them.
    let folded = gazetteer.communes.filter { VietnameseText.fold($0.shortName) == "tan thanh" }
    #expect(folded.count > exact.count)
    #expect(Set(gazetteer.resolve("tan thanh").candidates.compactMap(\.commune?.code)) == Set(folded.map(\.code)))
    #expect(gazetteer.resolve("TAN THANH") == gazetteer.resolve("tan thanh"))
  }

  @Test func communeProvinceDisambiguates() throws {
    let candidates = gazetteer.resolve("Tân Thành").candidates
    let first = try #require(candidates.first?.commune)
    let province = try #require(gazetteer.province(code: first.provinceCode))
    let match = try #require(resolved("Tân Thành, \(province.shortName)"))
    #expect(match.commune == first)
    let noMarks = try #require(resolved("tan thanh, \(VietnameseText.fold(province.name))"))
    #expect(noMarks.commune == first)
    #expect(resolved("Hoàn Kiếm, Hà Nội")?.commune?.code == "00070")
    #expect(resolved("Phường Hoàn Kiếm, Thành phố Hà Nội")?.commune?.code == "00070")
    #expect(resolved("Hoàn Kiếm, 01")?.commune?.code == "00070")
    // A province that does not hold the commune, or a context that names nothing.
    #expect(gazetteer.resolve("Hoàn Kiếm, Cà Mau") == .notFound)
    #expect(gazetteer.resolve("Hoàn Kiếm, Atlantis") == .notFound)
  }

  @Test func formerDistrict() throws {
    let match = try #require(resolved("Huyện Ba Bể"))
    #expect(match.province.code == "19")
    #expect(match.route == .formerDistrict)
    #expect(match.former?.level == .district)
    #expect(match.former?.provinceName == "Tỉnh Bắc Kạn")
    #expect(resolved("Quận 1")?.province.code == "79")
    #expect(resolved("quan 1, tp hcm")?.province.code == "79")
    // A former district-level city named like its former province.
    #expect(resolved("Thành phố Bắc Kạn")?.route == .formerDistrict)
  }

  @Test func formerCommuneMerged() throws {
    let match = try #require(resolved("Phường Phúc Xá"))
    #expect(match.route == .formerCommune)
    #expect(match.commune?.code == "00097")
    #expect(match.former?.code == "00001")
    #expect(match.former?.districtName == "Quận Ba Đình")
    #expect(match.officialNote == "Nhập toàn bộ")
    #expect(match.explanation == "former commune, merged 2025")
    #expect(resolved("00001")?.commune?.code == "00097")
    #expect(resolved("phuc xa, ha noi")?.commune?.code == "00097")
  }

  @Test func splitFormerCommuneIsAmbiguousWithPrimaryMarked() throws {
    // Phường Cống Vị (00007) went partly to Ngọc Hà (00008, primary) and partly to Giảng Võ (00025).
    guard case .ambiguous(let candidates) = gazetteer.resolve("Phường Cống Vị") else {
      Issue.record("expected ambiguous")
      return
    }
    #expect(candidates.map { $0.commune?.code } == ["00008", "00025"])
    #expect(candidates.map(\.isPrimary) == [true, false])
    #expect(candidates.allSatisfy { $0.route == .formerCommune && $0.former?.code == "00007" })
    #expect(candidates[0].explanation == "former commune, split 2025")
    #expect(candidates[0].description.contains("primary successor"))
    #expect(gazetteer.resolve("00007").candidates.count == 2)
    #expect(gazetteer.resolve("cong vi").candidates.count == 2)
  }

  @Test func everySplitCommuneIsAmbiguous() {
    // (An old code that is also a code of today's map means today's commune.)
    for former in gazetteer.names.formerCommunes
    where former.isSplit && gazetteer.commune(code: former.unit.code) == nil {
      let candidates = gazetteer.resolve(former.unit.code).candidates
      #expect(candidates.count == former.successors.count, "\(former.unit.code)")
      #expect(candidates.filter { $0.isPrimary == true }.count == 1, "\(former.unit.code)")
    }
  }

  @Test func notFound() {
    #expect(gazetteer.resolve("Atlantis") == .notFound)
    #expect(gazetteer.resolve("") == .notFound)
    #expect(gazetteer.resolve("  ,  ") == .notFound)
    #expect(gazetteer.resolve("99") == .notFound)
    #expect(gazetteer.resolve("12345678") == .notFound)
  }

  @Test func everyCommuneResolvesByCodeAndByNameInItsProvince() {
    for commune in gazetteer.communes {
      #expect(gazetteer.resolve(commune.code).match?.commune == commune)
      let province = gazetteer.province(code: commune.provinceCode)!
      let candidates = gazetteer.resolve("\(commune.name), \(province.name)").candidates
      #expect(candidates.contains { $0.commune == commune }, "\(commune.name), \(province.name)")
    }
  }
}

@Suite("Folding")
struct FoldingTests {
  @Test func folds() {
    #expect(VietnameseText.fold("Thành phố  Hồ Chí Minh") == "thanh pho ho chi minh")
    #expect(VietnameseText.fold("THANH PHO HO CHI MINH") == "thanh pho ho chi minh")
    #expect(VietnameseText.fold("thanh-pho ho.chi.minh!") == "thanh pho ho chi minh")
    #expect(VietnameseText.fold("Đắk Lắk") == "dak lak")
    #expect(VietnameseText.fold("ĐỒNG THÁP") == "dong thap")
    #expect(VietnameseText.fold("  TP.HCM ") == "tp hcm")
    // NFD input folds like NFC.
    let decomposed = "Hòa Bình".decomposedStringWithCanonicalMapping
    #expect(VietnameseText.fold(decomposed) == "hoa binh")
    #expect(VietnameseText.fold("Hoà Bình") == "hoa binh")
  }

  @Test("a code of today's map resolves from the tables as the name index resolves it")
  func codesWithoutTheIndex() {
    let codes = gazetteer.provinces.map(\.code) + gazetteer.communes.map(\.code)
    #expect(codes.count == 34 + 3321)
    for code in codes {
      #expect(gazetteer.resolve(code) == gazetteer.names.resolve(code, gazetteer: gazetteer), "\(code)")
      #expect(gazetteer.resolve(code).candidates.count == 1)
    }
    // Former codes, and what only looks like a code, still go through the index.
    #expect(NameIndex.currentUnit(code: "06", gazetteer: gazetteer) == nil, "Bắc Kạn, a former province")
    #expect(gazetteer.resolve("06") == gazetteer.names.resolve("06", gazetteer: gazetteer))
    #expect(gazetteer.resolve("06").candidates.first?.route == .formerProvince)
    for text in [" 19", "19 ", "019", "1", "x9"] {
      #expect(NameIndex.currentUnit(code: text, gazetteer: gazetteer) == nil, "\(text)")
    }
  }
}
