# ruff: noqa: RUF001 (Arabic text: its letters are not look-alikes of Latin ones here)
"""The words of the demo helpdesk: questions MSMEs ask, by guidance topic and language, and what agents and
MSMEs answer. Data, like the registry's demo names: not interface text, so not translated."""

from __future__ import annotations

# topic -> language -> [(subject, body)]: two or more questions per topic and language.
QUESTIONS: dict[str, dict[str, list[tuple[str, str]]]] = {
    "trademarks": {
        "en": [
            (
                "How do I register our brand name?",
                "We sell packaged honey under the name {brand} at local markets and want to protect the name "
                "before we supply supermarkets. Which classes should we choose, and how long does registration take?",
            ),
            (
                "Someone is using a logo very close to ours",
                "A competitor started selling in shops near us with a logo that looks almost like ours. Our mark "
                "is registered since 2021. What can we do, and can the office help us send a warning letter?",
            ),
            (
                "Renewal of our trademark",
                "Our trademark registration expires next year. When can we renew it, what is the fee, and can "
                "we renew online?",
            ),
        ],
        "ar": [
            (
                "كيف أسجّل العلامة التجارية لمنتجاتي؟",
                "نبيع منتجات ألبان تحت اسم {brand} في الأسواق المحلية ونريد حماية الاسم قبل التوسع. ما الفئات "
                "التي يجب اختيارها، وكم يستغرق التسجيل؟",
            ),
            (
                "منافس يستخدم شعارًا يشبه شعارنا",
                "بدأ منافس في بيع منتجات بشعار يكاد يطابق شعارنا المسجَّل منذ ثلاث سنوات. ما الخطوات المتاحة لنا؟",
            ),
        ],
    },
    "patents": {
        "en": [
            (
                "Is our solar dryer patentable?",
                "We built a solar dryer for mangoes that uses half the energy of the ones on the market. We have "
                "shown it at a trade fair last month. Can we still get a patent, and what does it cost?",
            ),
            (
                "Help with a patent search before filing",
                "Before we spend money on a patent attorney we would like to know if similar inventions exist. "
                "Can someone help us search patent databases for a water filter design?",
            ),
        ],
        "ar": [
            (
                "هل يمكن حماية اختراعنا ببراءة؟",
                "طوّرنا جهازًا لتوفير المياه في الري بالتنقيط. هل يمكن الحصول على براءة، وما التكلفة التقريبية؟",
            ),
            (
                "البحث عن براءات مشابهة قبل الإيداع",
                "نحتاج مساعدة في البحث في قواعد بيانات البراءات قبل إيداع طلبنا. هل يقدّم الجهاز هذه الخدمة؟",
            ),
        ],
    },
    "copyright": {
        "en": [
            (
                "Do we need to register copyright for our app?",
                "We developed a mobile app for farmers. Is the code protected automatically, or should we register "
                "it somewhere? A former developer kept a copy of the source code.",
            ),
            (
                "Photos of our products used without permission",
                "An online shop copied the photos of our handbags from our website. Who owns the copyright and "
                "how can we ask them to remove the pictures?",
            ),
        ],
        "ar": [
            (
                "حماية تصميمات موقعنا الإلكتروني",
                "صمّمنا موقعًا إلكترونيًا ومحتوى تسويقيًا خاصًا بنا. هل الحماية تلقائية أم يجب التسجيل؟",
            ),
        ],
    },
    "industrial-designs": {
        "en": [
            (
                "Protecting the shape of our furniture",
                "We design chairs with a distinctive carved back. Can we protect the look of the chair, and is "
                "it too late since we already sell them?",
            ),
        ],
        "ar": [
            (
                "حماية شكل عبوات منتجاتنا",
                "صمّمنا عبوة مميزة لمنتجات العناية بالبشرة. كيف نحمي شكل العبوة من التقليد؟",
            ),
        ],
    },
    "trade-secrets": {
        "en": [
            (
                "Keeping our recipe confidential",
                "Our sauce recipe is what makes our business. We are hiring two new staff. What should our "
                "contracts say so the recipe stays secret?",
            ),
        ],
        "ar": [
            (
                "الحفاظ على سرية وصفة الإنتاج",
                "وصفة منتجنا هي سر نجاحنا، ونحن بصدد تعيين موظفين جدد. ماذا نضيف إلى عقودهم لحماية الوصفة؟",
            ),
        ],
    },
    "utility-models": {
        "en": [
            (
                "Utility model or patent for a small improvement?",
                "We improved a maize sheller so it does not jam. The change is simple. Is a utility model better "
                "than a patent for us?",
            ),
        ],
        "ar": [
            (
                "نموذج منفعة أم براءة اختراع؟",
                "أدخلنا تحسينًا بسيطًا على آلة تعبئة. هل نموذج المنفعة أنسب لنا من البراءة؟",
            ),
        ],
    },
    "pct": {
        "en": [
            (
                "Filing a PCT application from our national filing",
                "We filed a national patent application eight months ago. We want protection in Europe and "
                "India. Is it too late for a PCT application, and which office receives it?",
            ),
            (
                "PCT fee reduction for small businesses",
                "Are there fee reductions for small companies filing an international application under the PCT? "
                "We are a team of five.",
            ),
        ],
        "ar": [
            (
                "إيداع طلب دولي بموجب معاهدة التعاون بشأن البراءات",
                "أودعنا طلب براءة وطنيًا منذ سبعة أشهر. كيف نودع طلبًا دوليًا بموجب معاهدة التعاون بشأن البراءات، "
                "وما المهلة المتبقية؟",
            ),
            (
                "تخفيض الرسوم للشركات الصغيرة",
                "هل توجد تخفيضات في رسوم الطلب الدولي للشركات الصغيرة أو للمخترعين الأفراد؟",
            ),
        ],
    },
    "madrid": {
        "en": [
            (
                "Registering our trademark in Kenya, Uganda and Tanzania",
                "We export coffee to our neighbours and want our mark protected there. Can we use the Madrid "
                "System with our national registration, and what will it cost?",
            ),
            (
                "Irregularity notice on our Madrid application",
                "We received a notice about an irregularity in the list of goods of our international "
                "application. What do we need to correct and by when?",
            ),
        ],
        "ar": [
            (
                "تسجيل علامتنا التجارية في دول الخليج",
                "نصدّر منتجاتنا إلى السعودية والإمارات. هل يمكن استخدام نظام مدريد لحماية علامتنا هناك؟",
            ),
            (
                "إخطار بمخالفة في الطلب الدولي",
                "تلقّينا إخطارًا بشأن قائمة السلع في طلبنا الدولي. ما المطلوب تصحيحه وما المهلة؟",
            ),
        ],
    },
    "hague": {
        "en": [
            (
                "Protecting our fabric designs abroad",
                "We design printed fabrics and sell to buyers in Europe. Can one Hague application cover several "
                "patterns, and which countries can we designate?",
            ),
        ],
        "ar": [
            (
                "حماية تصاميم المجوهرات في الخارج",
                "نصمّم مجوهرات يدوية ونبيعها في أوروبا. هل يمكن حماية عدة تصاميم بطلب واحد عبر نظام لاهاي؟",
            ),
        ],
    },
    "green": {
        "en": [
            (
                "Listing our biogas digester on WIPO GREEN",
                "We make small biogas digesters for farms. How do we list them on WIPO GREEN, and what should we "
                "protect first before showing the design to buyers abroad?",
            ),
        ],
    },
    "research": {
        "en": [
            (
                "Joining WIPO Re:Search as a small laboratory",
                "Our start-up develops a rapid test for schistosomiasis. Can a company of five people join WIPO "
                "Re:Search, and what would we have to share?",
            ),
        ],
    },
    "iap": {
        "en": [
            (
                "Free help from a patent attorney",
                "I invented a water filter made from local clay and cannot pay a patent attorney. Am I eligible for "
                "the Inventor Assistance Program?",
            ),
        ],
    },
    "adr": {
        "en": [
            (
                "Our brand was registered as a domain name by someone else",
                "A company abroad registered our brand name as a .com domain and offers to sell it to us. Can the "
                "WIPO Center help, and how long does a UDRP case take?",
            ),
            (
                "Mediation with a former distributor",
                "Our former distributor keeps using our trademark after the contract ended. We would rather not "
                "go to court. How does WIPO mediation work and what does it cost?",
            ),
        ],
        "ar": [
            (
                "نزاع على اسم حقل يحمل علامتنا",
                "سجّل شخص اسم حقل يحمل علامتنا التجارية ويعرض بيعه لنا. هل يمكن لمركز الويبو مساعدتنا؟",
            ),
            (
                "وساطة مع شريك سابق",
                "شريكنا السابق يستخدم تصميماتنا بعد انتهاء العقد. كيف تعمل الوساطة لدى الويبو وما تكلفتها؟",
            ),
        ],
    },
    "tiscs": {
        "en": [
            (
                "Is there a TISC near us?",
                "We would like someone to help us read patent documents in our field. Is there a Technology and "
                "Innovation Support Center in our region?",
            ),
        ],
        "ar": [
            (
                "أقرب مركز لدعم التكنولوجيا والابتكار",
                "أين يقع أقرب مركز لدعم التكنولوجيا والابتكار، وهل خدماته مجانية؟",
            ),
        ],
    },
}

# General questions with no topic: the agency's default queue answers them.
GENERAL: dict[str, list[tuple[str, str]]] = {
    "en": [
        (
            "Cannot upload documents to my application",
            "The upload page gives an error each time I try to attach the PDF of our drawings. The file is "
            "3 MB. What am I doing wrong?",
        ),
        (
            "Request for a counselling session on IP strategy",
            "We are a small food company and would like advice on which of our products to protect first. "
            "Can we book a meeting with an advisor?",
        ),
        (
            "Which IP right protects our product?",
            "We make biodegradable packaging from banana leaves. We are not sure whether we need a patent, a "
            "design or a trademark.",
        ),
    ],
    "ar": [
        (
            "لا أستطيع رفع المستندات",
            "تظهر رسالة خطأ كلما حاولت إرفاق ملف PDF بطلبنا. حجم الملف ٣ ميغابايت. ما المشكلة؟",
        ),
        (
            "طلب جلسة استشارية",
            "نحن شركة صغيرة للأغذية ونرغب في استشارة حول ما يجب حمايته أولًا من منتجاتنا. هل يمكن حجز موعد؟",
        ),
        (
            "أي حق ملكية فكرية يناسب منتجنا؟",
            "نصنع عبوات قابلة للتحلل من سعف النخيل، ولا نعرف هل نحتاج براءة أم تصميمًا أم علامة تجارية.",
        ),
    ],
}

AGENT_REPLIES = {
    "en": [
        "Thank you for your question. I have looked at your case: the first step is a search in the national "
        "register. I have attached the link to the search page; let me know what you find.",
        "Good news: yes, this is possible. You will need the filing number and date of your first application. "
        "I have listed the steps on the guidance page for this topic.",
        "Thank you for waiting. I checked with our examiners: the fee for a small business is reduced by half. "
        "Could you confirm the number of employees of your company?",
        "I have sent you the forms by e-mail as well. Please fill in sections 2 and 4 and send them back, and "
        "we will do the rest.",
    ],
    "ar": [
        "شكرًا لسؤالك. الخطوة الأولى هي البحث في السجل الوطني، وأرسلت إليك رابط صفحة البحث. أخبرني بما تجده.",
        "نعم، هذا ممكن. ستحتاج إلى رقم الطلب الأول وتاريخ إيداعه. وضعت الخطوات في صفحة الإرشاد لهذا الموضوع.",
        "شكرًا على انتظارك. راجعت الأمر مع الفاحصين: تُخفَّض الرسوم إلى النصف للمنشآت الصغيرة. كم عدد موظفيكم؟",
        "أرسلت إليك النماذج بالبريد أيضًا. يُرجى ملء القسمين ٢ و٤ وإعادتهما إلينا.",
    ],
}

CUSTOMER_REPLIES = {
    "en": [
        "Thank you, that helps. We have twelve employees. What is the next step?",
        "I tried the search and found two marks that look similar. Is that a problem?",
        "We have sent the forms back this morning. Please confirm you received them.",
        "Sorry, I still do not understand which class applies to our product.",
    ],
    "ar": [
        "شكرًا، هذا مفيد. لدينا اثنا عشر موظفًا. ما الخطوة التالية؟",
        "أجريت البحث ووجدت علامتين متشابهتين. هل هذه مشكلة؟",
        "أرسلنا النماذج صباح اليوم. يُرجى تأكيد الاستلام.",
    ],
}

NOTES = {
    "en": [
        "Checked the register: there is an earlier similar mark in class 30. Discuss options before answering.",
        "Asked the patents team for the fee table; follow up on Thursday.",
        "The MSME attended our workshop last year; its maturity level is low, keep the answer simple.",
    ],
    "ar": [
        "راجعت السجل: توجد علامة سابقة مشابهة في الفئة ٣٠. ناقش الخيارات قبل الرد.",
        "طلبت جدول الرسوم من فريق البراءات؛ المتابعة يوم الخميس.",
    ],
}

RATING_COMMENTS = {
    "en": ["Very clear, thank you.", "Quick and helpful answer.", "The answer came too late for our deadline.", ""],
    "ar": ["إجابة واضحة، شكرًا.", "رد سريع ومفيد.", "جاء الرد متأخرًا.", ""],
}

# Per queue, in its first language: title and text, with the placeholders canned replies fill in.
CANNED_REPLIES = {
    "en": [
        (
            "Welcome and next steps",
            "Dear {requester_name},\n\nThank you for contacting us about {msme_name}. Your question is registered "
            "as {reference}; I will come back to you within one working day.\n\nKind regards,\n{agent_name}",
        ),
        (
            "Need more information",
            "Dear {requester_name},\n\nTo answer your question ({reference}) I need a few more details: the "
            "products or services concerned and the countries where {msme_name} sells them.\n\n{agent_name}",
        ),
        (
            "Resolved: closing the ticket",
            "Dear {requester_name},\n\nI hope this answers your question. I am marking {reference} as resolved; "
            "reply to this message if you need anything else.\n\nBest wishes,\n{agent_name}",
        ),
    ],
    "ar": [
        (
            "ترحيب والخطوات التالية",
            "السيد/السيدة {requester_name}،\n\nشكرًا لتواصلكم معنا بشأن {msme_name}. سُجّل سؤالكم برقم {reference}، "
            "وسأعود إليكم خلال يوم عمل واحد.\n\nمع التحية،\n{agent_name}",
        ),
        (
            "نحتاج إلى معلومات إضافية",
            "السيد/السيدة {requester_name}،\n\nللإجابة عن سؤالكم ({reference}) نحتاج إلى تفاصيل إضافية: المنتجات "
            "المعنية والبلدان التي تبيع فيها {msme_name}.\n\n{agent_name}",
        ),
        (
            "تم الحل: إغلاق الطلب",
            "السيد/السيدة {requester_name}،\n\nنأمل أن نكون قد أجبنا عن سؤالكم. سنعدّ الطلب {reference} محلولًا؛ "
            "ردّوا على هذه الرسالة إن احتجتم إلى أي شيء آخر.\n\nمع أطيب التحيات،\n{agent_name}",
        ),
    ],
}

# The people who ask, per demo tenant (MSME members of its demo MSMEs).
PEOPLE = {
    "ke": ["Wanjiku Kamau", "Otieno Ouma", "Achieng Njeri", "Mwangi Kariuki"],
    "ph": ["Maria Santos", "Jose Reyes", "Ana Dela Cruz", "Ramon Bautista"],
    "eg": ["أحمد حسن", "منى عبد الله", "محمد السيد", "Sara Mostafa"],
}
BRANDS = ["Savanna Gold", "Nile Fresh", "Mabuhay", "Baobab", "Jasmine", "Kilima"]
