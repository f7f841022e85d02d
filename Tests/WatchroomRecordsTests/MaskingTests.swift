import WatchroomRecords
import XCTest

final class MaskingTests: XCTestCase {
    func testNames() {
        XCTAssertEqual(Masking.name("张伟"), "张*")
        XCTAssertEqual(Masking.name("王小芳"), "王*")
        XCTAssertEqual(Masking.name("  刘桂芬 "), "刘*")
        XCTAssertEqual(Masking.name("John Smith"), "J*")
        XCTAssertEqual(Masking.name(""), "")
    }

    func testPhones() {
        XCTAssertEqual(Masking.phone("13800001234"), "138-****-1234")
        XCTAssertEqual(Masking.phone("+86 138 0000 1234"), "138-****-1234")
        XCTAssertEqual(Masking.phone("138-0000-1234"), "138-****-1234")
        XCTAssertEqual(Masking.phone("023-6000-0101"), "****0101")
        XCTAssertEqual(Masking.phone("110"), "****")
    }

    func testPlates() {
        XCTAssertEqual(Masking.plate("渝A·10231"), "渝A·****1")
        XCTAssertEqual(Masking.plate("渝A12345"), "渝A****5")
        XCTAssertFalse(Masking.plate("渝A·10231").contains("1023"))
    }

    func testPhonesInFreeText() {
        XCTAssertEqual(Masking.phonesInText("call 138-0000-1234 after 18:00"), "call 138-****-1234 after 18:00")
        XCTAssertEqual(Masking.phonesInText("电话+86 139 0000 1030。"), "电话139-****-1030。")
        XCTAssertEqual(Masking.phonesInText("flat 2-301, 5 days"), "flat 2-301, 5 days")
    }

    func testPhoneNormalisation() {
        for notation in ["13800001009", "138-0000-1009", "138 0000 1009", "+86 138-0000-1009", "+8613800001009",
                         "008613800001009", "8613800001009", "(138) 0000.1009", "１３８００００１００９"] {
            XCTAssertEqual(PhoneNumber.digits(notation), "13800001009", notation)
        }
        XCTAssertEqual(PhoneNumber.display("13800001009"), "138-0000-1009")
        XCTAssertEqual(PhoneNumber.display("02360000101"), "02360000101")
    }
}
