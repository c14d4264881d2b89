import Testing
import VigilHL7

/// Typed views, against values read by eye from the fixture files (field numbers counted in the file:
/// ms/samples/ADT-A01-01.hl7 for MSH/EVN/PID/PV1, ms/samples/ORU-R01-01.hl7 for OBR/OBX/NTE).
@Suite struct SegmentAccessorTests {
    static func adt() throws -> HL7Message {
        try HL7Message(parsing: try HL7Fixtures.bytes("ms/samples/ADT-A01-01.hl7"))
    }
    static func oru() throws -> HL7Message {
        try HL7Message(parsing: try HL7Fixtures.bytes("ms/samples/ORU-R01-01.hl7"))
    }

    @Test func msh() throws {
        let msh = try Self.adt().header
        #expect(msh.sendingApplication.namespaceID == "ADTApp")
        #expect(msh.sendingFacility.namespaceID == "GHHSFacility")
        #expect(msh.sendingFacility.universalID == "2.16.840.1.122848.1.30")
        #expect(msh.sendingFacility.universalIDType == "ISO")
        #expect(msh.receivingApplication.universalID == "1.Edu")
        #expect(msh.receivingFacility.namespaceID == "GHHRFacility")
        #expect(msh.dateTime?.description == "198908181126+0215")
        #expect(msh.messageCode == "ADT" && msh.triggerEvent == "A01" && msh.messageStructure == "ADT_A01")
        #expect(msh.controlID == "MSG00001")
        #expect(msh.processingID == "P")
        #expect(msh.version == "2.8")
        #expect(msh.countryCode == "USA")
        #expect(msh.characterSets.isEmpty)
        #expect(msh.principalLanguage.identifier == "en-US")
        #expect(try Self.oru().header.acceptAckType == "AL")
        #expect(try Self.oru().header.messageProfileIdentifiers.first?.entityIdentifier == "PHLabReport-Ack")
    }

    @Test func evn() throws {
        let evn = try #require(try Self.adt().evn)
        #expect(evn.eventTypeCode == "A01")
        #expect(evn.recordedDateTime?.description == "20290801070624+0115")
        #expect(evn.plannedEventDateTime?.precision == .second)
        #expect(evn.eventReasonCode == "01")
        let op = try #require(evn.operators.first)
        #expect(op.id == "C08" && op.familyName == "Woolfson" && op.givenName == "Kathleen")
        #expect(op.assigningAuthority.namespaceID == "DRNBR")
        #expect(op.assigningAuthority.universalID == "1.3.6.1.4.1.44750.1.2.2")
        #expect(op.identifierTypeCode == "ANON")
        #expect(evn.eventOccurred?.description == "20210817151943.4+0200")
        #expect(evn.eventFacility.namespaceID == "Cona_Health")
    }

    @Test func pid() throws {
        let pid = try #require(try Self.adt().pid)
        #expect(pid.setID == "1")
        #expect(pid.identifiers.count == 2)
        let mrn = pid.identifiers[0]
        #expect(mrn.id == "PATID1234" && mrn.checkDigit == "5" && mrn.identifierTypeCode == "MR")
        #expect(mrn.assigningAuthority.namespaceID == "test1")
        #expect(mrn.assigningAuthority.universalID == "2.16.1")
        #expect(mrn.assigningAuthority.universalIDType == "HCD")
        #expect(mrn.assigningFacility.namespaceID == "GOOD HEALTH HOSPITAL")
        #expect(pid.identifiers[1].id == "123456789" && pid.identifiers[1].identifierTypeCode == "SS")
        #expect(pid.identifiers[1].assigningAuthority.namespaceID == "USSSA")
        let name = try #require(pid.names.first)
        #expect(name.familyName == "EVERYMAN" && name.givenName == "ADAM" && name.middleName == "A")
        #expect(name.suffix == "III" && name.prefix == "Dr." && name.degree == "MD" && name.nameTypeCode == "D")
        #expect(pid.names[1].familyName == "Josh" && pid.names[1].givenName == nil)
        #expect(pid.names[1].nameTypeCode == "L")
        #expect(pid.birthDate?.description == "198808181126+0215")
        #expect(pid.administrativeSex == "M")
        #expect(pid.races.map(\.identifier) == ["2106-3", "2028-9"])
        let address = try #require(pid.addresses.first)
        #expect(address.street == "1000" && address.otherDesignation == "Ste. 123")
        #expect(address.city == "Ann Arbor ")  // the sender's trailing space is kept
        #expect(address.stateOrProvince == "MI" && address.postalCode == "99999" && address.country == "USA")
        #expect(address.addressType == "M")
        let phone = try #require(pid.homePhones.first)
        #expect(phone.number == "78788788" && phone.equipmentType == "CP" && phone.communicationAddress == "5555")
        #expect(phone.localNumber == "1111" && phone.unformattedNumber == "2222")
        #expect(pid.homePhones.count == 2)
        #expect(pid.businessPhones.map(\.number) == ["7777", "1111"])
        #expect(pid.primaryLanguage.identifier == "ara")
        #expect(pid.primaryLanguage.alternateIdentifier == "eng")
        #expect(pid.primaryLanguage.originalText == "TextInEnglish")
        #expect(pid.maritalStatus.text == "Married")
        #expect(pid.accountNumber.id == "4000776" && pid.accountNumber.identifierTypeCode == "VN")
        #expect(pid.accountNumber.assigningAuthority.namespaceID == "AccMgr")
        #expect(pid.ethnicGroups.first?.text == "NOT HISPANIC OR LATINO")
        #expect(pid.deathDateTime?.description == "20080825111630+0115")
        #expect(pid.deathIndicator == "Y")
    }

    @Test func pv1() throws {
        let pv1 = try #require(try Self.adt().pv1)
        #expect(pv1.patientClass == "P")
        let location = pv1.assignedLocation
        #expect(location.pointOfCare == "HUH AE OMU" && location.room == "OMU B" && location.bed == "Bed 03")
        #expect(location.facility.namespaceID == "HOMERTON UNIVER")
        #expect(location.personLocationType == "C" && location.building == "Homerton UH" && location.floor == "Floor5")
        #expect(pv1.admissionType == "E")
        #expect(pv1.priorLocation.room == "136")
        let attending = try #require(pv1.attendingDoctors.first)
        #expect(attending.id == "1122334" && attending.familyName == "Alaz" && attending.givenName == "Mohammed")
        #expect(attending.prefix == "Dr." && attending.identifierTypeCode == "BR")
        #expect(attending.assigningAuthority.universalID == "1.23")
        #expect(pv1.referringDoctors.first?.id == "C006")
        #expect(pv1.consultingDoctors.first?.id == "C008")
        #expect(pv1.hospitalService == "SUR")
        #expect(pv1.admittingDoctors.first?.familyName == "DISNEY")
        #expect(pv1.patientType == "Inpatient")
        #expect(pv1.visitNumber.id == "40007716" && pv1.visitNumber.identifierTypeCode == "AM")
        #expect(pv1.visitNumber.assigningAuthority.namespaceID == "AccMng")
        #expect(pv1.dischargeDisposition == "Admitted as Inpatient")
        #expect(pv1.admitDateTime?.description == "20150208113419+0110")
        #expect(pv1.dischargeDateTime == nil)
        #expect(pv1.alternateVisitID.id == "50")
    }

    @Test func obrAndNte() throws {
        let message = try Self.oru()
        let obr = try #require(message.obr.first)
        #expect(obr.setID == "1")
        #expect(obr.placerOrderNumber.entityIdentifier == "845439" && obr.placerOrderNumber.namespaceID == "GHH OE")
        #expect(obr.fillerOrderNumber.universalID == "2.16.840.1.114222.4.3.3.5.1.2")
        #expect(obr.universalServiceIdentifier.identifier == "625-4")
        #expect(obr.universalServiceIdentifier.originalText == "Enteric Culture")
        #expect(obr.priority == "R")
        #expect(obr.observationDateTime?.description == "200202150730+0215")
        #expect(obr.observationEndDateTime == nil)
        #expect(obr.specimenReceivedDateTime?.description == "200202120730+0215")
        #expect(obr.resultsReportedDateTime?.description == "200203150730+0215")
        #expect(obr.diagnosticServiceSection == "BLB")
        #expect(obr.resultStatus == "F")
        let nte = try #require(message.nte.first)
        #expect(nte.setID == "1" && nte.source == "L")
        #expect(
            nte.comments == [
                "Enteric culture includes testing for Salmonella, Shigella, Campylobacter, Yersinia, E.coli O157:H7 & "
                    + "other STECs, and Aeromonas"
            ])  // \T\ decoded
        #expect(nte.commentType.identifier == "RE" && nte.commentType.text == "Remark")
    }

    @Test func obx() throws {
        let all = try Self.oru().obx
        #expect(all.count == 5)
        let coded = all[2]
        #expect(coded.setID == "1" && coded.valueType == "CWE" && coded.observationSubID == "1")
        let code = coded.observationIdentifier
        #expect(code.identifier == "625-4" && code.text == "Bacteria identified in Stool by Culture")
        #expect(code.codingSystem == "XYZ" && code.codingSystemVersion == "2.33" && code.originalText == "result1")
        let value = HL7CWE(try #require(coded.values.first))
        #expect(value.identifier == "27268008" && value.text == "Salmonella" && value.codingSystem == "SCT")
        #expect(value.originalText == "Salmonella species")
        #expect(coded.units.identifier == "beats/min" && coded.units.codingSystem == "ISO")
        #expect(coded.referenceRange == "70-80")
        #expect(coded.abnormalFlags == ["A"])
        #expect(coded.resultStatus == "P")
        #expect(coded.observationDateTime?.precision == .day)
        #expect(coded.producerID.identifier == "Org15")
        #expect(coded.responsibleObservers.first?.familyName == "Aly")
        #expect(coded.observationMethods.first?.originalText == "Bacterial Culture")
        #expect(coded.analysisDateTime?.description == "201203140957")
        // OBX|2|NM|8867-4^...|1|27~25||||||I: a repeating numeric value.
        let numeric = all[4]
        #expect(numeric.valueType == "NM")
        #expect(numeric.values.map(\.string) == ["27", "25"])
        #expect(numeric.resultStatus == "I")
        #expect(numeric.units.isEmpty)
    }

    @Test func structuredNumericAndEdgeValues() throws {
        // edge/synthetic/obx5_numeric_edge_values.hl7: OBX-5 kept as sent, for the mapper to judge.
        let message = try HL7Message(parsing: try HL7Fixtures.bytes("edge/synthetic/obx5_numeric_edge_values.hl7"))
        let obx = message.obx
        #expect(obx.map { $0.value.string } == [">250", "<0.3", "^150^-^400", "1,2", "1e2", "  97 ", "NaN"])
        let range = HL7SN(obx[2].value)
        #expect(range.comparator == nil && range.number1 == "150" && range.separatorOrSuffix == "-")
        #expect(range.number2 == "400")
        #expect(obx.map { $0.resultStatus } == ["F", "F", "F", "F", "C", "F", "X"])
        #expect(obx[0].abnormalFlags == ["HH"])
    }

    @Test func msaAndErr() throws {
        let text = """
            MSH|^~\\&|R|RF|S|SF|20240101||ACK^A01^ACK|A9|P|2.5.1\rMSA|AE|C77|old text|12\r\
            ERR||PID^1^3^1^2|101^Required field missing^HL70357|E|||diag|Please resend\r
            """
        let message = try HL7Message(parsing: text)
        let msa = try #require(message.msa)
        #expect(msa.acknowledgmentCode == "AE" && msa.controlID == "C77")
        #expect(msa.textMessage == "old text" && msa.expectedSequenceNumber == "12")
        let err = try #require(message.err.first)
        #expect(err.locations.first?.component(1).string == "PID")
        #expect(err.locations.first?.component(5).string == "2")
        #expect(err.hl7ErrorCode.identifier == "101")
        #expect(err.severity == "E")
        #expect(err.diagnosticInformation == "diag" && err.userMessage == "Please resend")
        #expect(PIDSegment(message.segment(at: 1)) == nil)  // views check the segment id
        #expect(MSASegment(message.segment(at: 1)) != nil)
    }
}
