extension HL7CodeMap {
    /// The built-in map: common local mnemonics for the vitals, scores and labs Vigil's early-warning and
    /// sepsis/AKI models read, under any local coding system (`*`). Interface analysts extend or override it
    /// with a site file: `HL7CodeMap.standard.merging(try HL7CodeMap(tsv: siteFile))`.
    public static let standard: HL7CodeMap = {
        do {
            return try HL7CodeMap(tsv: standardTSV)
        } catch {
            preconditionFailure("the built-in code map is invalid: \(error)")
        }
    }()

    /// The built-in map in the file format `init(tsv:)` reads.
    public static let standardTSV = """
        # system\tcode\tloinc\tdisplay\tkind
        *\tHR\t8867-4\tHeart rate\tobservation
        *\tPULSE\t8867-4\tHeart rate\tobservation
        *\tHEARTRATE\t8867-4\tHeart rate\tobservation
        *\tHEART RATE\t8867-4\tHeart rate\tobservation
        *\tPULSE RATE\t8867-4\tHeart rate\tobservation
        *\tRR\t9279-1\tRespiratory rate\tobservation
        *\tRESP\t9279-1\tRespiratory rate\tobservation
        *\tRESPRATE\t9279-1\tRespiratory rate\tobservation
        *\tRESP RATE\t9279-1\tRespiratory rate\tobservation
        *\tRESPIRATORY RATE\t9279-1\tRespiratory rate\tobservation
        *\tTEMP\t8310-5\tBody temperature\tobservation
        *\tTEMPERATURE\t8310-5\tBody temperature\tobservation
        *\tBODYTEMP\t8310-5\tBody temperature\tobservation
        *\tSBP\t8480-6\tSystolic blood pressure\tobservation
        *\tBPSYS\t8480-6\tSystolic blood pressure\tobservation
        *\tBP SYS\t8480-6\tSystolic blood pressure\tobservation
        *\tNIBPS\t8480-6\tSystolic blood pressure\tobservation
        *\tNIBP_SYS\t8480-6\tSystolic blood pressure\tobservation
        *\tSYSBP\t8480-6\tSystolic blood pressure\tobservation
        *\tSYSTOLIC\t8480-6\tSystolic blood pressure\tobservation
        *\tDBP\t8462-4\tDiastolic blood pressure\tobservation
        *\tBPDIA\t8462-4\tDiastolic blood pressure\tobservation
        *\tBP DIA\t8462-4\tDiastolic blood pressure\tobservation
        *\tNIBPD\t8462-4\tDiastolic blood pressure\tobservation
        *\tNIBP_DIA\t8462-4\tDiastolic blood pressure\tobservation
        *\tDIABP\t8462-4\tDiastolic blood pressure\tobservation
        *\tDIASTOLIC\t8462-4\tDiastolic blood pressure\tobservation
        *\tMAP\t8478-0\tMean blood pressure\tobservation
        *\tNIBPM\t8478-0\tMean blood pressure\tobservation
        *\tNIBP_MEAN\t8478-0\tMean blood pressure\tobservation
        *\tMEANBP\t8478-0\tMean blood pressure\tobservation
        *\tMBP\t8478-0\tMean blood pressure\tobservation
        *\tSPO2\t59408-5\tOxygen saturation in Arterial blood by Pulse oximetry\tobservation
        *\tSPO2%\t59408-5\tOxygen saturation in Arterial blood by Pulse oximetry\tobservation
        *\tO2SAT\t59408-5\tOxygen saturation in Arterial blood by Pulse oximetry\tobservation
        *\tPULSEOX\t59408-5\tOxygen saturation in Arterial blood by Pulse oximetry\tobservation
        *\tSATS\t59408-5\tOxygen saturation in Arterial blood by Pulse oximetry\tobservation
        *\tSAO2\t2708-6\tOxygen saturation in Arterial blood\tobservation
        *\tABGSAO2\t2708-6\tOxygen saturation in Arterial blood\tobservation
        *\tFIO2\t3150-0\tInhaled oxygen concentration\tobservation
        *\tINSPO2\t3150-0\tInhaled oxygen concentration\tobservation
        *\tO2CONC\t3150-0\tInhaled oxygen concentration\tobservation
        *\tVENTFIO2\t19994-3\tOxygen/Inspired gas setting [Volume Fraction] Ventilator\tobservation
        *\tFIO2SET\t19994-3\tOxygen/Inspired gas setting [Volume Fraction] Ventilator\tobservation
        *\tO2FLOW\t3151-8\tInhaled oxygen flow rate\tobservation
        *\tO2 FLOW\t3151-8\tInhaled oxygen flow rate\tobservation
        *\tSUPPO2\t3151-8\tInhaled oxygen flow rate\tobservation
        *\tSUPP O2\t3151-8\tInhaled oxygen flow rate\tobservation
        *\tO2LPM\t3151-8\tInhaled oxygen flow rate\tobservation
        *\tACVPU\t67775-7\tLevel of responsiveness\tobservation
        *\tAVPU\t67775-7\tLevel of responsiveness\tobservation
        *\tLOC\t67775-7\tLevel of responsiveness\tobservation
        *\tCONSCIOUSNESS\t67775-7\tLevel of responsiveness\tobservation
        *\tGCS\t9269-2\tGlasgow coma score total\tobservation
        *\tGCSTOTAL\t9269-2\tGlasgow coma score total\tobservation
        *\tGCS TOTAL\t9269-2\tGlasgow coma score total\tobservation
        *\tGCSE\t9267-6\tGlasgow coma score eye opening\tobservation
        *\tGCS_EYE\t9267-6\tGlasgow coma score eye opening\tobservation
        *\tGCSV\t9270-0\tGlasgow coma score verbal\tobservation
        *\tGCS_VERBAL\t9270-0\tGlasgow coma score verbal\tobservation
        *\tGCSM\t9268-4\tGlasgow coma score motor\tobservation
        *\tGCS_MOTOR\t9268-4\tGlasgow coma score motor\tobservation
        *\tWEIGHT\t29463-7\tBody weight\tobservation
        *\tWT\t29463-7\tBody weight\tobservation
        *\tBODYWEIGHT\t29463-7\tBody weight\tobservation
        *\tHEIGHT\t8302-2\tBody height\tobservation
        *\tHT\t8302-2\tBody height\tobservation
        *\tBODYHEIGHT\t8302-2\tBody height\tobservation
        *\tBMI\t39156-5\tBody mass index (BMI) [Ratio]\tobservation
        *\tCREAT\t2160-0\tCreatinine [Mass/volume] in Serum or Plasma\tlab
        *\tCREA\t2160-0\tCreatinine [Mass/volume] in Serum or Plasma\tlab
        *\tCRE\t2160-0\tCreatinine [Mass/volume] in Serum or Plasma\tlab
        *\tCREATININE\t2160-0\tCreatinine [Mass/volume] in Serum or Plasma\tlab
        *\tSCR\t2160-0\tCreatinine [Mass/volume] in Serum or Plasma\tlab
        *\tCREATU\t14682-9\tCreatinine [Moles/volume] in Serum or Plasma\tlab
        *\tCREA_UMOL\t14682-9\tCreatinine [Moles/volume] in Serum or Plasma\tlab
        *\tLACT\t2524-7\tLactate [Moles/volume] in Serum or Plasma\tlab
        *\tLACTATE\t2524-7\tLactate [Moles/volume] in Serum or Plasma\tlab
        *\tLAC\t2524-7\tLactate [Moles/volume] in Serum or Plasma\tlab
        *\tBLDLACT\t32693-4\tLactate [Moles/volume] in Blood\tlab
        *\tLACTB\t32693-4\tLactate [Moles/volume] in Blood\tlab
        *\tABGLAC\t32693-4\tLactate [Moles/volume] in Blood\tlab
        *\tLACT_WB\t32693-4\tLactate [Moles/volume] in Blood\tlab
        *\tWBC\t6690-2\tLeukocytes [#/volume] in Blood by Automated count\tlab
        *\tLEUK\t6690-2\tLeukocytes [#/volume] in Blood by Automated count\tlab
        *\tLEUKOCYTES\t6690-2\tLeukocytes [#/volume] in Blood by Automated count\tlab
        *\tWCC\t6690-2\tLeukocytes [#/volume] in Blood by Automated count\tlab
        *\tPLT\t777-3\tPlatelets [#/volume] in Blood by Automated count\tlab
        *\tPLAT\t777-3\tPlatelets [#/volume] in Blood by Automated count\tlab
        *\tPLATELETS\t777-3\tPlatelets [#/volume] in Blood by Automated count\tlab
        *\tTBIL\t1975-2\tBilirubin.total [Mass/volume] in Serum or Plasma\tlab
        *\tBILI\t1975-2\tBilirubin.total [Mass/volume] in Serum or Plasma\tlab
        *\tBILIT\t1975-2\tBilirubin.total [Mass/volume] in Serum or Plasma\tlab
        *\tTBILI\t1975-2\tBilirubin.total [Mass/volume] in Serum or Plasma\tlab
        *\tBILIRUBIN\t1975-2\tBilirubin.total [Mass/volume] in Serum or Plasma\tlab
        *\tGLU\t2345-7\tGlucose [Mass/volume] in Serum or Plasma\tlab
        *\tGLUC\t2345-7\tGlucose [Mass/volume] in Serum or Plasma\tlab
        *\tGLUCOSE\t2345-7\tGlucose [Mass/volume] in Serum or Plasma\tlab
        *\tNA\t2951-2\tSodium [Moles/volume] in Serum or Plasma\tlab
        *\tSODIUM\t2951-2\tSodium [Moles/volume] in Serum or Plasma\tlab
        *\tK\t2823-3\tPotassium [Moles/volume] in Serum or Plasma\tlab
        *\tPOTASSIUM\t2823-3\tPotassium [Moles/volume] in Serum or Plasma\tlab
        *\tCL\t2075-0\tChloride [Moles/volume] in Serum or Plasma\tlab
        *\tCHLORIDE\t2075-0\tChloride [Moles/volume] in Serum or Plasma\tlab
        *\tHCO3\t1963-8\tBicarbonate [Moles/volume] in Serum or Plasma\tlab
        *\tBICARB\t1963-8\tBicarbonate [Moles/volume] in Serum or Plasma\tlab
        *\tBUN\t3094-0\tUrea nitrogen [Mass/volume] in Serum or Plasma\tlab
        *\tUREA\t3094-0\tUrea nitrogen [Mass/volume] in Serum or Plasma\tlab
        *\tHGB\t718-7\tHemoglobin [Mass/volume] in Blood\tlab
        *\tHB\t718-7\tHemoglobin [Mass/volume] in Blood\tlab
        *\tHEMOGLOBIN\t718-7\tHemoglobin [Mass/volume] in Blood\tlab
        *\tCRP\t1988-5\tC reactive protein [Mass/volume] in Serum or Plasma\tlab
        *\tPCT\t33959-8\tProcalcitonin [Mass/volume] in Serum or Plasma\tlab
        *\tPROCALCITONIN\t33959-8\tProcalcitonin [Mass/volume] in Serum or Plasma\tlab
        *\tPH\t2744-1\tpH of Arterial blood\tlab
        *\tABGPH\t2744-1\tpH of Arterial blood\tlab
        *\tPCO2\t2019-8\tCarbon dioxide [Partial pressure] in Arterial blood\tlab
        *\tPACO2\t2019-8\tCarbon dioxide [Partial pressure] in Arterial blood\tlab
        *\tPO2\t2703-7\tOxygen [Partial pressure] in Arterial blood\tlab
        *\tPAO2\t2703-7\tOxygen [Partial pressure] in Arterial blood\tlab
        *\tAST\t1920-8\tAspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma\tlab
        *\tSGOT\t1920-8\tAspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma\tlab
        *\tALT\t1742-6\tAlanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma\tlab
        *\tSGPT\t1742-6\tAlanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma\tlab
        *\tINR\t6301-6\tINR in Platelet poor plasma by Coagulation assay\tlab
        *\tALB\t1751-7\tAlbumin [Mass/volume] in Serum or Plasma\tlab
        *\tALBUMIN\t1751-7\tAlbumin [Mass/volume] in Serum or Plasma\tlab
        """
}
