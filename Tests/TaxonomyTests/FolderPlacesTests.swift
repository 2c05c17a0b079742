import Testing

@testable import Taxonomy

/// Places read as an archivist reads them: inside folder names that are phrases, and named with
/// the former province they were in (issue 14, hints 7 and 8).
@Suite("Places in folder names and with their former province")
struct FolderPlacesTests {
  @Test(
    "a place named with its former province is the place inside it",
    arguments: [
      ("Chợ Đồn, Bắc Kạn", "02020"), ("Cho Don, Bac Kan", "02020"), ("Ba Bể, Bắc Kạn", "01906"),
      ("Đại Từ, Thái Nguyên", "05830"),
    ])
  func placeWithFormerProvince(text: String, commune: String) throws {
    let match = try #require(gazetteer.resolve(text).match, "\(text)")
    #expect(match.commune?.code == commune && match.province.code == "19")
  }

  @Test("the place names inside a phrase, longest first, whole words only")
  func namesInAPhrase() {
    let index = gazetteer.names
    #expect(index.names(in: "Cho Don - Bac Kan cu") == ["cho don", "bac kan"])
    #expect(index.names(in: "2019 - Lễ hội Lồng Tồng Bắc Kạn").contains("bac kan"))
    #expect(index.names(in: "Người Dao Tiền - Pác Nặm").contains("pac nam"))
    // A name of one word counts only as the whole folder name; digits are never names.
    #expect(index.names(in: "Huế") == ["hue"])
    #expect(!index.names(in: "chị Huệ bán hàng").contains("hue"))
    #expect(index.names(in: "2019 2020 1998").isEmpty)
    #expect(index.names(in: "").isEmpty)
  }

  @Test(
    "folder names read together: the most precise unit, in the context of the others",
    arguments: [
      (["2019 - Lễ hội Lồng Tồng Bắc Kạn"], "19", nil as String?),
      (["Cho Don - Bac Kan cu"], "19", "02020"),
      (["Người Dao Tiền - Pác Nặm"], "19", nil),
      (["Anh du lich", "Ho Ba Be"], "19", "01906"),
      (["Bac Kan", "Cho Don"], "19", "02020"),
      (["Du lịch", "Ảnh đẹp"], nil, nil),
    ])
  func folders(folders: [String], province: String?, commune: String?) {
    let found = gazetteer.locality(inFolders: folders)
    #expect(found?.match.province.code == province, "\(folders)")
    #expect(found?.match.commune?.code == commune, "\(folders)")
  }

  @Test("an ambiguous name resolves to its candidate in the bank's own province, when exactly one is there")
  func ambiguousInTheBanksProvince() throws {
    #expect(gazetteer.locality(inFolders: ["Dinh Hoa"]) == nil)
    let local = try #require(gazetteer.locality(inFolders: ["Ảnh 2019", "Dinh Hoa"], preferredProvince: "19"))
    #expect(local.match.commune?.code == "05569" && local.folders == ["Dinh Hoa"])
    #expect(gazetteer.locality(inFolders: ["Phu Luong"], preferredProvince: "19")?.match.province.code == "19")
    // Not there: nothing is guessed.
    #expect(gazetteer.locality(inFolders: ["Dinh Hoa"], preferredProvince: "01") == nil)
  }
}
