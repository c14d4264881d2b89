/// Hand-written generic word lists (ours; none taken from the gold corpora).
enum HandLists {
    static func set(_ words: String) -> Set<String> {
        Set(words.split(whereSeparator: \.isWhitespace).map(String.init))
    }

    static let titles = set(
        """
        dr doctor mr mrs ms miss mx prof professor sir madam dame nurse rev reverend fr father sister brother
        herr frau mme mlle monsieur madame sr sra srta dott dra capt captain lt sgt col gen pastor rabbi
        """)

    /// Month spellings → month number. Abbreviations need a capital and are never dates on their own.
    static let months: [String: Int] = [
        "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
        "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4,
        "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    ]
    /// Full month names that are dates even alone (May is a verb, the rest are rare as other words).
    static let standaloneMonths = set(
        "january february march april june july august september october november december")
    static let weekdays = set(
        """
        monday tuesday wednesday thursday friday saturday sunday mondays tuesdays wednesdays thursdays fridays
        saturdays sundays
        """
    )

    static let streetSuffixes = set(
        """
        street st road rd avenue ave av drive dr lane ln court ct boulevard blvd way place pl terrace ter parkway pkwy
        highway hwy circle cir trail trl square sq plaza crescent close row walk alley loop pike turnpike expressway
        freeway route rte gardens grove heights hill hills park parks path point ridge run station view vista
        bypass bridge bridges mill mills forge forges flat flats green greens creek island islands pass cove crossing
        junction estates meadow meadows glen glens springs valley wells shore shores isle key knoll landing lodge
        manor orchard oval pines plains ranch rapids shoal summit trace track tunnel village villages ville
        camp canyon cape causeway cliff cliffs common commons corner corners course curve dale dam divide
        extension falls ferry field fields ford fords fork forks fort freeway garden gateway harbor harbour
        haven hollow inlet lake lakes light lights lock locks mall mount mountain mountains neck overpass
        passage pike plaza port prairie radial ramp rest river road roads shoals skyway spring spur stream
        street streets throughway trafficway underpass union unions viaduct views vill walks wall way ways well
        utca út str ulica straße strasse gade vej
        """)
    static let unitWords = set(
        "apt apartment suite ste unit box po psc apo fpo dpo room rm bed floor fl bldg building postbox")
    /// Street words written before the name (`Rue Gafsa`, `ul. Słowicza`, `Via dei Fiorentini`).
    static let streetPrefixes = set(
        """
        rue via viale avenue avenida av calle rua ul ulica u trg piazza piazzetta strada chemin route allee platz
        rambla
        """
    )
    /// Name particles inside names and street names (`van Gijn`, `Rio de Janeiro`, `Via dei Fiorentini`).
    static let particles = set(
        "de do da del dei della delle di du des dos das la le van von der den ten ter y z u el al ibn bin st")
    /// Ship prefixes of US military addresses (`USNS Bergman`, `FPO AP 93757`).
    static let shipPrefixes = set("uss usns usnv uscgc usav")
    /// Lower-case words between a place name and a facility word (`UCLA med center`, `Chicago downtown clinic`).
    static let facilityModifiers = set(
        """
        med medical health downtown community county city family primary care urgent dental eye cancer heart
        specialty outpatient surgical surgery pediatric women's children's main north south east west
        """
    )

    /// Institution heads: a capitalised run before them names a hospital or school.
    static let institutionHeads = set(
        """
        hospital hospitals medical clinic clinics center centre institute university infirmary memorial hospice
        healthcare health rehabilitation rehab sanatorium sanitarium college school academy laboratory laboratories
        pharmacy practice surgery hosp ctr univ inst
        """)
    /// Institution abbreviations that take a full stop (`Saint Mary's Hosp.`).
    static let institutionAbbreviations = set("hosp ctr univ inst med")
    /// Lower-case facility words that close a capitalised place (`the Elmwood clinic`).
    static let facilityWords = set(
        "clinic hospital office facility center centre campus practice branch site ward unit")
    static let placePrefixes = set("st saint mt mount ste san santa fort ft lake port")

    static let orgSuffixes = set(
        """
        inc ltd llc llp plc gmbh ag sa corp corporation company co group bank insurance partners associates holdings
        technologies technology systems consulting labs lab pharmaceuticals pharmaceutical pharma foundation agency
        research global capital media solutions services international industries enterprises ventures network
        networks software studios productions trust fund sons brothers
        """)

    /// US state and territory codes for `City, ST`.
    static let stateCodes = set(
        """
        AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK
        OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP AA AE AP
        """)

    static let tlds = set(
        """
        com org net edu gov mil int io info biz co us uk de fr nl be se si ee pl pt ca au cy hu ch at it es fi no dk cz
        ie nz jp cn in ru br mx za ar gr ro bg hr sk lt lv lu is tr il kr tw sg hk my ph id th vn ae sa eg ng ke ua by
        me tv app dev health care med ai ly eu asia online site xyz
        """)

    static let demonyms = set(
        """
        african american american asian caucasian hispanic latino latina latinx black white european english british
        french german spanish italian russian swedish danish dutch finnish norwegian icelandic greek cypriot hungarian
        czech slovak polish slovenian croatian serbian bosnian ukrainian romanian bulgarian turkish arab arabic jewish
        muslim christian catholic protestant chinese japanese korean vietnamese thai indian pakistani filipino mexican
        cuban brazilian canadian australian irish scottish welsh portuguese swiss austrian belgian estonian latvian
        lithuanian native indigenous cambodian somali nigerian ethiopian egyptian iranian persian israeli hindu buddhist
        sikh mandarin cantonese hindi urdu bengali punjabi tagalog creole haitian
        """)

    /// Capitalised clinical words that are not identifiers: acronyms, eponymous diseases, brand drugs, insurers.
    static let clinical = set(
        """
        icu er ed or pacu nicu picu ccu micu sicu bp hr rr spo2 o2 gcs avpu copd chf cad ckd aki esrd dm t1dm t2dm htn
        hld gerd ibd ibs uti mi stemi nstemi cva tia dvt pe afib vte ards sirs sofa qsofa news news2 mews hiv aids hcv
        hbv tb covid mrsa vre cdiff ct mri pet ekg ecg eeg echo cxr abg cbc bmp cmp lft lfts inr ptt hba1c a1c bnp crp
        esr wbc rbc hgb hct plt bun cr gfr egfr ldl hdl tsh psa nsaid nsaids ssri ssris snri ace arb ppi iv im po prn
        bid tid qid qd qhs hs npo dnr dni cpr acls bls rn lpn cna np pa md do mba phd dds od pt ot slp sob cp ha nkda
        nka rx dx hx tx sx fx pmh hpi ros cns pns gi gu ent ob gyn obgyn ua usa eu who cdc fda nih ama aha acc ada
        mayo alzheimer alzheimers parkinson parkinsons crohn crohns hodgkin hodgkins cushing cushings addison addisons
        graves hashimoto hashimotos guillain barre kawasaki raynaud raynauds sjogren sjogrens tourette tourettes down
        huntington huntingtons bell bells lyme wilson wilsons whipple epstein barr kaposi hirschsprung marfan meniere
        menieres asperger aspergers bowen paget pagets horner brugada wolff ebstein fallot tetralogy glasgow apgar
        braden morse norton wells gleason karnofsky ecog nyha child pugh meld ranson apache
        medicare medicaid tricare aetna cigna humana anthem kaiser bluecross
        tylenol advil motrin aleve lipitor crestor zocor eliquis xarelto coumadin plavix lasix humira ozempic
        wegovy mounjaro trulicity jardiance farxiga januvia lantus humalog novolog keytruda opdivo herceptin
        synthroid zoloft prozac lexapro celexa paxil wellbutrin xanax ativan valium ambien seroquel abilify
        risperdal zyprexa lamictal keppra dilantin neurontin lyrica norco percocet vicodin dilaudid narcan
        augmentin keflex cipro levaquin zithromax bactrim flagyl vancomycin zosyn rocephin diflucan valtrex
        tamiflu paxlovid remdesivir decadron medrol prednisone solumedrol ventolin proair albuterol symbicort
        advair spiriva singulair flonase zyrtec claritin allegra benadryl pepcid prilosec nexium protonix zofran
        reglan miralax colace senna dulcolax imodium metformin insulin glipizide lisinopril losartan amlodipine
        metoprolol carvedilol atenolol furosemide hydrochlorothiazide spironolactone warfarin heparin enoxaparin
        lovenox apixaban rivaroxaban clopidogrel aspirin atorvastatin simvastatin rosuvastatin levothyroxine
        gabapentin pregabalin sertraline fluoxetine escitalopram citalopram bupropion trazodone quetiapine
        olanzapine risperidone haloperidol lorazepam alprazolam diazepam clonazepam zolpidem morphine oxycodone
        hydrocodone hydromorphone fentanyl tramadol naloxone acetaminophen ibuprofen naproxen ketorolac
        ondansetron pantoprazole omeprazole famotidine amoxicillin azithromycin ceftriaxone cefazolin ciprofloxacin
        levofloxacin doxycycline metronidazole piperacillin tazobactam meropenem linezolid daptomycin fluconazole
        acyclovir valacyclovir oseltamivir dexamethasone methylprednisolone hydrocortisone epinephrine
        norepinephrine vasopressin dopamine dobutamine amiodarone digoxin diltiazem nitroglycerin labetalol
        hydralazine clonidine tamsulosin finasteride allopurinol colchicine methotrexate hydroxychloroquine
        tacrolimus cyclosporine mycophenolate semaglutide liraglutide dulaglutide tirzepatide empagliflozin
        dapagliflozin sitagliptin pioglitazone glargine lispro aspart detemir
        covid-19 sars cov sars-cov-2 rsv hpv ebv cmv hsv vzv mssa esbl ua uds bmi bsa ivf iud nicu
        """)

    /// Clinical vocabulary missing from the general English list (written by hand; stems cover plurals).
    static let clinicalWords = set(
        """
        iban bic swift atm pin mrn dob ssn id ids dx ddx recs rec mgmt mgnt pls pt pts hx sx tx rx fx abx meds med
        labs lab vitals
        contraindication contraindicated anticoagulation anticoagulant anticoagulants antiplatelet antihypertensive
        antihypertensives antibiotic antiemetic antipsychotic antidepressant anticonvulsant antiepileptic
        bronchodilator vasopressor inotrope diuretic diuresis immunosuppressant immunosuppression chemotherapy
        radiotherapy immunotherapy hemodialysis dialysis thrombolysis thrombectomy angioplasty cholecystectomy
        appendectomy hysterectomy mastectomy lobectomy colectomy nephrectomy thyroidectomy laparoscopy laparoscopic
        endoscopy colonoscopy bronchoscopy echocardiogram echocardiography electrocardiogram angiogram angiography
        cholangitis cholecystitis pancreatitis hepatitis nephritis nephropathy neuropathy retinopathy cardiomyopathy
        encephalopathy myopathy hyperlipidemia hypercholesterolemia dyslipidemia hypertriglyceridemia hyperglycemia
        hypoglycemia hyperkalemia hypokalemia hypernatremia hyponatremia hypercalcemia hypocalcemia hypomagnesemia
        hypothyroidism hyperthyroidism hypotension tachycardia bradycardia arrhythmia fibrillation atrial ventricular
        tachyarrhythmia cardiomegaly stenosis regurgitation thrombosis embolism thromboembolism thrombocytopenia
        neutropenia leukopenia pancytopenia leukocytosis anemia polycythemia sepsis bacteremia septicemia
        pyelonephritis cellulitis osteomyelitis endocarditis pericarditis myocarditis meningitis encephalitis
        pneumonitis bronchiolitis bronchiectasis atelectasis effusion pneumothorax hemothorax empyema
        hepatomegaly splenomegaly ascites cirrhosis steatosis nafld nash varices gastroparesis diverticulitis
        colitis proctitis gastritis esophagitis dysphagia odynophagia hematemesis hematochezia melena
        hematuria proteinuria albuminuria oliguria anuria nocturia dysuria polyuria incontinence
        osteoporosis osteopenia osteoarthritis spondylosis stenoses radiculopathy myelopathy sciatica fibromyalgia
        lupus sarcoidosis vasculitis scleroderma polymyositis dermatomyositis psoriasis eczema urticaria
        anaphylaxis angioedema rhinitis sinusitis otitis pharyngitis tonsillitis laryngitis conjunctivitis
        glaucoma cataract cataracts retinal macular keratitis uveitis dementia delirium psychosis schizophrenia
        bipolar ptsd adhd ocd autism seizure seizures epilepsy migraine migraines syncope vertigo ataxia aphasia
        dysarthria hemiparesis hemiplegia paraplegia quadriplegia neuralgia gout hyperuricemia hypoxia hypoxemia
        hypercapnia dyspnea orthopnea tachypnea apnea hemoptysis wheezing stridor edema lymphedema
        hfref hfpef hfmref lvef tavr tavi cabg pci ptca icd crt lvad ecmo cpap bipap niv hfnc
        kdigo nyha ckd-epi gold asa bph ra ms als sle ibd uc t2d t1d dka hhs hhnk pcos pid std sti hpv
        esomeprazole lansoprazole rabeprazole dexlansoprazole pseudomonas klebsiella enterococcus streptococcus
        staphylococcus clostridium clostridioides candida aspergillus escherichia coli proteus enterobacter
        acinetobacter mycobacterium helicobacter pylori legionella mycoplasma chlamydia neisseria listeria
        botox biologic biologics biosimilar statin statins beta-blocker beta-blockers anticholinergic
        sglt2 glp-1 dpp-4 ace-inhibitor arni entresto sacubitril valsartan spironolactone eplerenone
        dapagliflozin empagliflozin canagliflozin ertugliflozin apixaban edoxaban dabigatran ticagrelor prasugrel
        utis uti's stage class grade type non-hodgkin hodgkin's
        """)

    /// Hospital services and note headings: capitalised runs made only of these are not names.
    static let services = set(
        """
        emergency department room unit intensive critical care internal medicine family general physical occupational
        speech respiratory therapy surgery surgical cardiology cardiac oncology neurology radiology pathology
        pediatrics pediatric psychiatry orthopedics orthopaedics urology nephrology dermatology gastroenterology
        pulmonology pulmonary endocrinology hematology rheumatology infectious disease diseases obstetrics
        gynecology labor delivery neonatal trauma anesthesia anesthesiology palliative hospice nursing social work
        services service clinic primary medical chief complaint history present illness exam examination
        assessment plan review systems past medical discharge diagnosis diagnoses medications medication allergies
        vital signs follow up instructions hospital course procedure procedures findings impression labs
        laboratory results imaging studies consult consults progress note notes summary admission admitting
        attending resident fellow nurse practitioner physician assistant team floor ward icu step down
        type stage class grade level phase scale score test index disease syndrome
        """)

    /// Words after an eponym that make it a disease or score, not a person (`Bell's palsy`).
    static let eponymNext = set(
        """
        disease syndrome sign signs test criteria scale score palsy lymphoma sarcoma phenomenon procedure
        classification maneuver manoeuvre reflex ulcer esophagus disorder deformity fracture tumor tumour
        hernia node nodes equation formula method technique position index type stage
        """)

    /// Function words: trimmed from the edges of context hits, and stop address continuation.
    static let stopWords = set(
        """
        the a an this that these those my our his her their your its i we you it he she they of and or in on at to
        for from by with as is was are were be been being has have had do does did not no yes but if so then than
        when where who whom which what why how all any each every some such into onto upon about after before during
        since until while also very just only please thanks thank hi hello dear regards
        """)

    /// Professional credentials after a name (`Luigi Wiegand, MD`); `MD` and `PA` are also state codes.
    static let credentials = set("md do pa rn np lpn cna dds dmd phd mph pharmd dpt od")

    /// Cue words before a name.
    static let nameCues = set("patient pt by with named called dear sincerely regards cc attn")
    /// Cue words before a place.
    static let placeCues = set("in at from near to visiting moved lives live living born")

    /// Cue words before an identifier value.
    static let idCues = set(
        """
        mrn id ssn dob no nr num number acct account member policy record records file chart case claim license
        licence plate serial vin device passport insurance subscriber reference ref ticket order encounter visit
        """)

    /// Units after a number: `2000 mg` is a dose, not a year; `500mg` is not an identifier.
    static let units = set(
        """
        mg mcg ug g kg lb lbs ml l dl cc mm cm m km mmhg meq mmol mol iu u units unit hrs hr h min mins sec s
        kcal cal bpm x mcl ng pg fl mosm
        """)

    /// Occupation head nouns (generic English), for the optional profession detector.
    static let professionHeads = set(
        """
        nurse nurses physician physicians doctor surgeon teacher teachers engineer engineers clerk clerks driver
        drivers technician technicians technologist writer writers scientist scientists attendant attendants
        administrator administrators specialist specialists manager managers assistant assistants operator
        operators mechanic mechanics analyst analysts designer designers developer developers programmer
        programmers accountant accountants lawyer lawyer attorney attorneys singer singers actor actress dancer
        musician musicians artist artists painter painters photographer cinematographer editor editors journalist
        reporter producer director directors architect architects pharmacist pharmacists therapist therapists
        dentist dentists hygienist paramedic paramedics firefighter firefighters officer officers detective
        guard guards janitor janitors cleaner cleaners cook cooks chef chefs baker bakers butcher farmer farmers
        fisherman fishermen carpenter carpenters plumber plumbers electrician electricians welder welders
        machinist machinists installer installers repairer repairers inspector inspectors investigator
        investigators supervisor supervisors coordinator coordinators consultant consultants advisor adviser
        counselor counsellor counselors librarian librarians professor professors lecturer instructor instructors
        tutor tutors coach coaches trainer trainers economist economists statistician statisticians
        mathematician physicist chemist chemists biologist biologists geologist ecologist psychologist
        psychologists sociologist historian historians translator interpreter interpreters secretary secretaries
        receptionist receptionists cashier cashiers salesperson salesman saleswoman broker brokers agent agents
        banker bankers auditor auditors bookkeeper teller tellers pilot pilots sailor sailors soldier soldiers
        veterinarian veterinarians vet midwife midwives aide aides caregiver caregivers worker workers laborer
        laborers labourer handler handlers fumigator fumigators tender tenders sorter sorters packer packers
        loader loaders dispatcher dispatchers courier couriers postman postmaster surveyor surveyors drafter
        drafters planner planners estimator estimators appraiser appraisers underwriter underwriters adjuster
        adjusters examiner examiners custodian custodians housekeeper housekeepers maid nanny babysitter
        barber barbers hairdresser hairstylist stylist cosmetologist tailor tailors seamstress jeweler jewelers
        miner miners logger loggers roofer roofers mason masons painter glazier glaziers paperhanger
        bartender bartenders waiter waiters waitress server servers host hostess dishwasher dishwashers
        usher ushers entertainer entertainers comedian composer composers conductor conductors announcer
        announcers broadcaster author authors poet poets novelist sculptor illustrator animator animators
        programmer sheriff deputy marshal ranger rangers warden wardens judge judges magistrate paralegal
        paralegals notary chaplain clergy minister priest pastor preacher monk nun missionary
        optometrist optician podiatrist chiropractor audiologist dietitian dietician nutritionist radiologist
        anesthesiologist psychiatrist pediatrician cardiologist oncologist neurologist dermatologist
        sonographer phlebotomist orderly orderlies dentist embalmer mortician undertaker controller controllers
        distributor distributors representative representatives maker makers collector collectors builder builders
        setter setters cutter cutters grinder grinders polisher finisher finishers assembler assemblers fabricator
        fabricators tester testers sampler samplers weigher weighers gauger measurer recorder recorders
        scheduler schedulers preparer preparers processor processors keeper keepers caretaker groundskeeper
        landscaper gardener gardeners forester hunter trapper breeder rancher herder shepherd
        correspondent columnist copywriter proofreader publisher printer printers binder typist typesetter
        clerk singer rapper drummer guitarist pianist violinist choreographer filmmaker screenwriter playwright
        curator archivist conservator docent interviewer surveyor enumerator actuary actuaries treasurer
        strategist marketer promoter buyer buyers purchaser merchandiser retailer wholesaler dealer dealers
        trader traders negotiator mediator arbitrator lobbyist diplomat ambassador legislator mayor governor
        senator councillor councilor commissioner superintendent dean registrar provost chancellor
        scientist researcher researchers astronomer meteorologist hydrologist geographer cartographer
        anthropologist archaeologist linguist philosopher theologian zoologist botanist microbiologist
        epidemiologist toxicologist pathologist geneticist biochemist engineer technologist draftsman
        steward stewardess conductor porter valet bellhop concierge doorman lifeguard
        coroner inspector assessor clinician therapist dietetic medic corpsman
        """)
}
